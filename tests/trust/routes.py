"""Every route of the URL configuration, with arguments that reach a real object of
alice and bob's, for the authorisation matrix and the canary sweep."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import User
from couples import services as couple_services
from couples.models import Couple
from notifications.delivery import unsubscribe_token
from prompts.evenings import get_set
from prompts.models import DailyPrompt, Note
from prompts.services import answer_evening_question, send_question, start_evening, submit_answer
from rituals.models import CalendarFeed, Ritual
from rituals.recurrence import instant_key

from ..assessments.helpers import answers as assessment_answers
from ..factories import make_attempt, make_day, make_ritual, make_user

# What a partner wrote and has not seen revealed: it must never reach anyone else.
CANARY = "CANARY-7f3a-unrevealed"
# bob's private notes (on the revealed day and today): for bob's eyes only, ever.
NOTE_CANARY = "CANARY-91c2-private-note"
EVENING_SET = "a-slow-evening"
# Admin pages are Django's own, staff only (tested by Django); their login is ours.
SKIPPED_PREFIXES = ("admin/",)
KEPT = {"admin_login", "admin:login"}


def route_names() -> set[str]:
    """Every named route, from the URL configuration itself."""
    return {name for name, _ in _walk(get_resolver().url_patterns) if name}


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = namespace + pattern.name
            path = prefix + str(pattern.pattern)
            if name in KEPT or not path.startswith(SKIPPED_PREFIXES):
                yield name, path


@dataclass
class World:
    alice: User
    bob: User
    charlie: User
    dana: User
    couple: Couple
    today: DailyPrompt
    ritual: Ritual
    occurrence_key: str
    attempt_pk: int
    invite_token: str
    feed_token: str
    unsubscribe_token: str
    queued_pk: int
    revealed_pk: int

    def kwargs(self, name: str) -> dict:
        """Arguments for the route `name`, pointing at alice and bob's objects."""
        by_name: dict[str, dict] = {
            "couples:join": {"token": self.invite_token},
            "prompts:today_status": {"pk": self.today.pk},
            "prompts:day": {"pk": self.today.pk},
            "prompts:react": {"pk": self.today.pk},
            "prompts:reply": {"pk": self.today.pk},
            "prompts:note": {"pk": self.today.pk},
            "prompts:nudge": {"pk": self.today.pk},
            "assessments:take": {"slug": "attachment"},
            "assessments:result": {"slug": "attachment", "pk": self.attempt_pk},
            "assessments:share": {"slug": "attachment", "pk": self.attempt_pk},
            "assessments:compare": {"slug": "attachment"},
            "rituals:feed": {"token": self.feed_token},
            "rituals:guide": {"slug": "breathing"},
            "rituals:occurrence": {"pk": self.ritual.pk, "key": self.occurrence_key},
            "rituals:mark": {"pk": self.ritual.pk, "key": self.occurrence_key},
            "rituals:rate": {"pk": self.ritual.pk, "key": self.occurrence_key},
            "notifications:unsubscribe": {"token": self.unsubscribe_token},
            "prompts:withdraw_question": {"pk": self.queued_pk},
            "prompts:favourite": {"pk": self.revealed_pk},
            "prompts:evening": {"slug": EVENING_SET},
            "prompts:evening_start": {"slug": EVENING_SET},
            "prompts:evening_status": {"slug": EVENING_SET, "number": 1},
            "account_reset_password_from_key": {"uidb36": "1", "key": "set-password"},
        }
        if name in by_name:
            return by_name[name]
        if name.startswith("rituals:") and name.split(":")[1] in {
            "detail", "edit", "accept", "decline", "pause", "resume", "delete", "reminder"
        }:  # fmt: skip
            return {"pk": self.ritual.pk}
        return {}


def build_world(library) -> World:
    """alice and bob paired, with today's question answered by bob only (the canary),
    a revealed day (bob's private notes on both), a ritual done yesterday, alice's shared result, alice's calendar
    feed; charlie and dana a couple of their own; erin unpaired with an open invite."""
    alice = make_user("alice@example.com", "Alice")
    bob = make_user("bob@example.com", "Bob")
    charlie = make_user("charlie@example.com", "Charlie")
    dana = make_user("dana@example.com", "Dana")
    erin = make_user("erin@example.com", "Erin")
    from ..factories import make_couple

    couple = make_couple(alice, bob)
    make_couple(charlie, dana)
    earlier = make_day(couple, date=couple.local_date() - timedelta(days=1))
    submit_answer(daily_prompt=earlier, user=alice, text="alice revealed")
    submit_answer(daily_prompt=earlier, user=bob, text="bob revealed")
    today = make_day(couple)
    submit_answer(daily_prompt=today, user=bob, text=CANARY)
    Note.objects.create(daily_prompt=earlier, user=bob, text=NOTE_CANARY)
    Note.objects.create(daily_prompt=today, user=bob, text=NOTE_CANARY)
    ritual = make_ritual(couple, starts_on=couple.local_date() - timedelta(days=7))
    yesterday = ritual.next_occurrence_after(timezone.now() - timedelta(days=1, hours=1))
    assert isinstance(yesterday, datetime)
    attempt = make_attempt(alice, "attachment", assessment_answers("attachment"), shared_with=couple)
    feed = CalendarFeed.objects.create(user=alice)
    invite = couple_services.create_invite(inviter=erin)
    queued = send_question(couple=couple, user=alice, text="alice's question for bob")
    # bob's answer to the first question of an evening alice has not answered: a canary too.
    evening_set = get_set(EVENING_SET)
    assert evening_set is not None
    evening = start_evening(couple=couple, user=bob, evening_set=evening_set)
    answer_evening_question(evening=evening, evening_set=evening_set, user=bob, number=1, text=CANARY)
    return World(
        alice=alice,
        bob=bob,
        charlie=charlie,
        dana=dana,
        couple=couple,
        today=today,
        ritual=ritual,
        occurrence_key=instant_key(yesterday),
        attempt_pk=attempt.pk,
        invite_token=invite.token,
        feed_token=feed.token,
        unsubscribe_token=unsubscribe_token(alice),
        queued_pk=queued.pk,
        revealed_pk=earlier.pk,
    )
