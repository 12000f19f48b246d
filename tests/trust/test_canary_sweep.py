"""The canary sweep: bob's answer to today's question, not yet revealed (alice has not
answered), must not appear anywhere but to bob himself: on no route, in no htmx
fragment, no email, no export, for alice, an outsider, or a visitor; nor in the cache."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications import registry
from notifications.delivery import sweep_reminders
from notifications.models import Channels, Outcome, Preference
from prompts.notices import NoticeKind as PromptNoticeKind
from prompts.services import send_nudge, submit_answer
from prompts.tasks import send_partner_answered
from rituals.models import Reminder
from rituals.reminders import sweep_ritual_reminders

from ..push_service import subscribe
from .routes import CANARY, NOTE_CANARY, World, build_world, route_names

HTMX: dict[str, str] = {"HX-Request": "true"}
NO_HEADERS: dict[str, str] = {}


@pytest.fixture
def world(library) -> World:
    return build_world(library)


def visitors(world: World) -> dict[str, Client]:
    clients = {}
    for name, user in {"alice": world.alice, "charlie": world.charlie, "dana": world.dana, "anonymous": None}.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        clients[name] = client
    return clients


def test_it_finds_the_canary_where_it_belongs(world):
    """The sweep can see it: bob's own today page shows his answer."""
    bob = Client()
    bob.force_login(world.bob)
    assert CANARY in bob.get(reverse("prompts:today")).content.decode()
    assert CANARY in bob.get(reverse("privacy:export_json")).content.decode()


def test_it_never_shows_the_canary_on_any_route_or_fragment(world):
    seen = []
    for who, client in visitors(world).items():
        for name in sorted(route_names()):
            url = reverse(name, kwargs=world.kwargs(name))
            for headers in (NO_HEADERS, HTMX):
                response = client.get(url, headers=headers)
                body = response.content
                if CANARY.encode() in body:
                    seen.append((who, name, bool(headers)))
    # The waiting poll alice's page makes while she has not answered.
    alice = visitors(world)["alice"]
    assert alice.get(reverse("prompts:today_status", args=[world.today.pk]), headers=HTMX).status_code == 204
    assert not seen, seen


def test_it_never_shows_a_partners_private_note_on_any_route_or_fragment(world):
    """bob's notes (on the revealed day and today) reach nobody but bob."""
    seen = []
    for who, client in visitors(world).items():
        for name in sorted(route_names()):
            url = reverse(name, kwargs=world.kwargs(name))
            for headers in (NO_HEADERS, HTMX):
                if NOTE_CANARY.encode() in client.get(url, headers=headers).content:
                    seen.append((who, name, bool(headers)))
    assert not seen, seen
    bob = Client()
    bob.force_login(world.bob)
    assert NOTE_CANARY in bob.get(reverse("prompts:history")).content.decode()


def test_it_never_puts_the_canary_in_an_email(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    now = timezone.now()
    User.objects.update(next_reminder_at=now - timedelta(minutes=1))
    Reminder.objects.update(remind_at=now - timedelta(minutes=1))
    sweep_reminders(now=now)
    sweep_ritual_reminders(now=now)
    # "Bob answered. Your turn", by email when alice chose it: whether, never what.
    Preference.objects.create(user=world.alice, kind=PromptNoticeKind.PARTNER_ANSWERED, channels=Channels.EMAIL)
    assert send_partner_answered(world.today.pk, world.alice.pk) == Outcome.SENT
    # bob, waiting with the canary, nudges alice: the question goes, his words do not.
    with django_capture_on_commit_callbacks(execute=True):
        send_nudge(daily_prompt=world.today, user=world.bob, partner=world.alice)
    assert any(message.subject == "Bob is thinking of you" for message in mail.outbox)
    # And the reveal: alice answers, bob's words are now hers to see, never by email.
    submit_answer(daily_prompt=world.today, user=world.alice, text="alice today")
    assert len(mail.outbox) >= 2, [message.subject for message in mail.outbox]
    for message in mail.outbox:
        parts = [str(message.subject), str(message.body)]
        parts += [str(content) for content, _ in getattr(message, "alternatives", [])]
        assert all(CANARY not in part and NOTE_CANARY not in part for part in parts), message.subject


def test_it_never_puts_the_canary_in_a_push(world, push_service):
    """Every person on push (and email) for every kind of notice, each with a phone that
    the local push service decrypts: what a phone would show holds no canary."""
    for user in User.objects.all():
        subscribe(user, push_service.phone(f"user-{user.pk}"))
        for kind in registry.all_kinds():
            Preference.objects.update_or_create(user=user, kind=kind.name, defaults={"channels": Channels.BOTH})
    now = timezone.now()
    User.objects.update(next_reminder_at=now - timedelta(minutes=1))
    Reminder.objects.update(remind_at=now - timedelta(minutes=1))
    sweep_reminders(now=now)
    sweep_ritual_reminders(now=now)
    submit_answer(daily_prompt=world.today, user=world.alice, text="alice today")
    assert len(push_service.delivered) >= 2, "no pushes: the sweep would prove nothing"
    for got in push_service.delivered:
        assert CANARY not in json.dumps(got.payload, ensure_ascii=False)


def test_it_never_puts_answers_in_the_cache(world):
    for client in visitors(world).values():
        for name in ("prompts:today", "prompts:history", "couples:couple", "home"):
            client.get(reverse(name))
    bob = Client()
    bob.force_login(world.bob)
    bob.get(reverse("prompts:today"))  # bob's own visit, canary on his page
    values = _all_cache_values()
    assert values, "the pages cached nothing: the sweep would prove nothing"
    assert all(CANARY not in repr(value) for value in values)


def _all_cache_values() -> list:
    backend = cache._cache if hasattr(cache, "_cache") else None
    if isinstance(backend, dict):  # LocMem: pickled values
        import pickle

        return [pickle.loads(value) for value in backend.values()]  # noqa: S301 (this process's own cache)
    client = cache._cache.get_client()  # type: ignore[attr-defined]  # Redis
    return [client.get(key) for key in client.scan_iter("*")]
