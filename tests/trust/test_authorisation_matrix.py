"""The authorisation matrix: every route of the URL configuration, as alice (the
owner of the objects in the URL), bob (her partner), charlie (an outsider, paired with
dana) and an anonymous visitor, with the status each must get.

A route added to config/urls.py without a row here fails the first test: decide what
each persona gets, then add it. Outsiders get 404 on anything of alice and bob's,
never 403 and never the page.
"""

import hashlib

import pytest
from django.core import serializers
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessments.models import Attempt
from couples.models import Couple, Invite, Membership
from prompts.models import Answer, DailyPrompt, Evening, EveningAnswer, Favourite, Note, Nudge, Reaction
from rituals.models import Completion, Rating, Reminder, Ritual

from .routes import World, build_world, route_names

PERSONAS = ("owner", "partner", "outsider", "anonymous")

# GET: (owner, partner, outsider, anonymous). 302 for anonymous: to the sign-in page.
GET = {
    "home": (302, 302, 302, 200),
    "healthz": (200, 200, 200, 200),
    # allauth's own screens: the same for everyone signed in.
    "account_login": (302, 302, 302, 200),
    "account_logout": (200, 200, 200, 302),
    "account_inactive": (200, 200, 200, 200),
    "account_signup": (302, 302, 302, 200),
    "account_reauthenticate": (200, 200, 200, 302),
    "account_email": (200, 200, 200, 302),
    "account_email_verification_sent": (302, 302, 302, 302),
    "account_change_password": (200, 200, 200, 302),
    "account_set_password": (302, 302, 302, 302),
    "account_reset_password": (200, 200, 200, 200),
    "account_reset_password_done": (200, 200, 200, 200),
    "account_reset_password_from_key": (200, 200, 200, 200),
    "account_reset_password_from_key_done": (200, 200, 200, 200),
    "account_request_login_code": (302, 302, 302, 200),
    "account_confirm_login_code": (302, 302, 302, 302),
    "usersessions_list": (200, 200, 200, 302),
    "admin_login": (302, 302, 302, 302),
    "admin:login": (302, 302, 302, 302),
    # One's own pages: each person sees their own.
    "accounts:settings": (200, 200, 200, 302),
    "privacy:export_json": (200, 200, 200, 302),
    "privacy:export_markdown": (200, 200, 200, 302),
    "privacy:delete_account": (302, 302, 302, 302),  # to sign in again first
    "couples:couple": (200, 200, 200, 302),
    "couples:create_invite": (405, 405, 405, 302),
    "couples:time_zone": (405, 405, 405, 302),
    "couples:unpair": (405, 405, 405, 302),
    "couples:join": (409, 409, 409, 200),  # erin's invite: everyone here is paired
    "prompts:today": (200, 200, 200, 302),
    "prompts:history": (200, 200, 200, 302),
    "prompts:favourite": (405, 405, 405, 302),  # the revealed day: POST below
    "prompts:today_status": (204, 204, 404, 302),  # alice and bob's day
    "prompts:day": (200, 200, 404, 302),  # alice and bob's day, to catch up on
    "prompts:react": (405, 405, 405, 302),
    "prompts:reply": (405, 405, 405, 302),
    "prompts:note": (302, 302, 404, 302),  # to the day's page (htmx gets the note form)
    "prompts:nudge": (405, 405, 405, 302),
    "prompts:swap": (405, 405, 405, 302),
    "prompts:evenings": (200, 200, 200, 302),
    "prompts:evening": (200, 200, 200, 302),  # each couple's own evening with the set
    "prompts:evening_start": (405, 405, 405, 302),
    "prompts:evening_status": (204, 204, 404, 302),  # alice and bob's evening; charlie's is not started
    "prompts:questions": (200, 200, 200, 302),
    "prompts:send_question": (405, 405, 405, 302),
    "prompts:send_library_question": (405, 405, 405, 302),
    "prompts:withdraw_question": (405, 405, 405, 302),  # alice's question: POST below
    "couples:status": (302, 302, 302, 302),  # everyone here is paired: on to Today
    "notifications:preferences": (200, 200, 200, 302),
    "notifications:push-subscribe": (405, 405, 405, 302),
    "notifications:push-unsubscribe": (405, 405, 405, 302),
    "notifications:service-worker": (200, 200, 200, 200),  # the same script for everyone
    "notifications:offline": (200, 200, 200, 200),
    "assessments:index": (200, 200, 200, 200),
    "assessments:support": (200, 200, 200, 200),
    "assessments:take": (200, 200, 200, 200),
    "assessments:compare": (200, 200, 200, 302),
    "assessments:result": (200, 404, 404, 302),  # alice's; bob has not shared his
    "assessments:share": (405, 405, 405, 302),
    "rituals:index": (200, 200, 200, 302),
    "rituals:library": (200, 200, 200, 302),
    "rituals:new": (200, 200, 200, 302),
    "rituals:summary": (200, 200, 200, 302),
    "rituals:calendar": (200, 200, 200, 302),
    "rituals:calendar_regenerate": (405, 405, 405, 302),
    "rituals:feed": (200, 200, 200, 200),  # a bearer token: the address is the key
    "rituals:guides": (200, 200, 200, 302),
    "rituals:guide": (200, 200, 200, 302),
    "rituals:detail": (200, 200, 404, 302),
    "rituals:edit": (200, 200, 404, 302),
    "rituals:occurrence": (200, 200, 404, 302),
    "rituals:accept": (405, 405, 405, 302),
    "rituals:decline": (405, 405, 405, 302),
    "rituals:pause": (405, 405, 405, 302),
    "rituals:resume": (405, 405, 405, 302),
    "rituals:delete": (405, 405, 405, 302),
    "rituals:reminder": (405, 405, 405, 302),
    "rituals:mark": (405, 405, 405, 302),
    "rituals:rate": (405, 405, 405, 302),
    "notifications:unsubscribe": (200, 200, 200, 200),  # a bearer token, like the feed
}

# Routes whose URL names one of alice and bob's objects: an outsider gets 404 for any
# method, and nothing of theirs changes.
OBJECT_ROUTES = {
    "prompts:today_status",
    "prompts:day",
    "prompts:react",
    "prompts:reply",
    "prompts:note",
    "prompts:nudge",
    "prompts:favourite",
    "prompts:withdraw_question",
    "assessments:result",
    "assessments:share",
    "rituals:detail",
    "rituals:edit",
    "rituals:occurrence",
    "rituals:accept",
    "rituals:decline",
    "rituals:pause",
    "rituals:resume",
    "rituals:delete",
    "rituals:reminder",
    "rituals:mark",
    "rituals:rate",
}
# Bearer-token routes act for whoever holds the link (tested in their own apps).
TOKEN_ROUTES = {"rituals:feed", "notifications:unsubscribe", "couples:join", "account_reset_password_from_key"}


@pytest.fixture
def world(library) -> World:
    return build_world(library)


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = {"owner": world.alice, "partner": world.bob, "outsider": world.charlie}.get(persona)
    if user is not None:
        client.force_login(user)
    return client


def test_it_has_a_row_for_every_route_in_the_url_configuration():
    assert set(GET) == route_names()
    assert set(GET) >= OBJECT_ROUTES | TOKEN_ROUTES


def test_it_gives_each_persona_the_expected_status_on_every_route(world):
    clients = {persona: client_for(world, persona) for persona in PERSONAS}
    found = {}
    for name in sorted(GET):
        url = reverse(name, kwargs=world.kwargs(name))
        found[name] = tuple(clients[persona].get(url).status_code for persona in PERSONAS)
    wrong = {name: (found[name], GET[name]) for name in GET if found[name] != GET[name]}
    assert not wrong, "route: (found, expected)\n" + "\n".join(f"{k}: {v}" for k, v in wrong.items())


def test_it_never_answers_403_or_500_and_outsiders_get_404_on_couple_objects():
    assert all(status not in (403, 500) for row in GET.values() for status in row)
    for name in OBJECT_ROUTES:
        outsider = GET[name][PERSONAS.index("outsider")]
        assert outsider in (404, 405), name  # 405: GET on a POST-only route (POST below)


def _fingerprint(world: World) -> str:
    """Everything of alice and bob's, serialised: any change shows."""
    users = [world.alice.pk, world.bob.pk]
    querysets = [
        User.objects.filter(pk__in=users),
        Couple.objects.filter(pk=world.couple.pk),
        Membership.objects.filter(user__in=users),
        DailyPrompt.objects.filter(couple=world.couple),
        Answer.objects.filter(user__in=users),
        Reaction.objects.filter(user__in=users),
        Note.objects.filter(user__in=users),
        Nudge.objects.filter(sender__in=users),
        Favourite.objects.filter(user__in=users),
        Evening.objects.filter(couple=world.couple),
        EveningAnswer.objects.filter(user__in=users),
        Ritual.objects.filter(couple=world.couple),
        Completion.objects.filter(ritual__couple=world.couple),
        Rating.objects.filter(user__in=users),
        Reminder.objects.filter(user__in=users),
        Attempt.objects.filter(user__in=users),
        Invite.objects.filter(inviter__in=users),
    ]
    text = "".join(serializers.serialize("json", queryset.order_by("pk")) for queryset in querysets)
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("htmx", [False, True])
def test_it_lets_an_outsider_post_nothing_into_a_couple(world, htmx):
    outsider = client_for(world, "outsider")
    headers: dict[str, str] = {"HX-Request": "true"} if htmx else {}
    before = _fingerprint(world)
    for name in sorted(OBJECT_ROUTES):
        url = reverse(name, kwargs=world.kwargs(name))
        data = {"outcome": "done", "score": "5", "minutes_before": "10", "title": "Mine now", "confirm": "yes"}
        response = outsider.post(url, data, headers=headers)
        # A POST-only route (405 to GET) must find nothing (404); a GET-only one, which
        # already gave the outsider 404 above, may refuse the method first.
        allowed = {404} if GET[name][PERSONAS.index("outsider")] == 405 else {404, 405}
        assert response.status_code in allowed, (name, response.status_code)
    assert _fingerprint(world) == before


def test_it_sends_anonymous_posts_to_sign_in_and_changes_nothing(world):
    anonymous = client_for(world, "anonymous")
    before = _fingerprint(world)
    for name in sorted(set(GET) - TOKEN_ROUTES):
        response = anonymous.post(reverse(name, kwargs=world.kwargs(name)), {"confirm": "yes", "text": "x"})
        assert response.status_code in (200, 302, 405), (name, response.status_code)
        assert response.status_code != 500
    assert _fingerprint(world) == before
