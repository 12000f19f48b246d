"""/settings/: download everything of yours; delete your account after signing in again."""

import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.models import Attempt
from couples.models import Couple, Membership
from notifications.models import SendLog
from prompts.models import Answer
from prompts.services import submit_answer

from ..assessments.helpers import answers as assessment_answers
from ..factories import PASSWORD, make_attempt, make_day, make_ritual, text_of

JSON_URL = reverse("privacy:export_json")
MD_URL = reverse("privacy:export_markdown")
DELETE_URL = reverse("privacy:delete_account")


def shared_history(couple, alice, bob):
    """A revealed day, a day only bob answered, and a day only alice answered."""
    revealed = make_day(couple, date=couple.local_date().replace(day=1))
    submit_answer(daily_prompt=revealed, user=alice, text="ALICE-REVEALED")
    submit_answer(daily_prompt=revealed, user=bob, text="BOB-REVEALED")
    bobs = make_day(couple, date=couple.local_date().replace(day=2))
    submit_answer(daily_prompt=bobs, user=bob, text="BOB-UNREVEALED-CANARY")
    alices = make_day(couple, date=couple.local_date().replace(day=3))
    submit_answer(daily_prompt=alices, user=alice, text="ALICE-WAITING")


def test_it_exports_everything_of_alices_and_nothing_hidden(alice_client, alice, bob, couple, library):
    shared_history(couple, alice, bob)
    make_ritual(couple, title="Morning tea")
    make_attempt(alice, "attachment", assessment_answers("attachment"))
    make_attempt(bob, "attachment", assessment_answers("attachment", last=True))  # not shared
    response = alice_client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="attune-')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["profile"]["email"] == "alice@example.com"
    assert data["couple"]["partner"] == "Bob"
    days = {day["yours"]: day for day in data["answers"]}
    assert days["ALICE-REVEALED"]["partners"] == {"name": "Bob", "text": "BOB-REVEALED"}
    assert days["ALICE-WAITING"]["partners"] is None
    assert [ritual["name"] for ritual in data["rituals"]] == ["Morning tea"]
    assert [attempt["whose"] for attempt in data["assessments"]] == ["yours"]
    assert "BOB-UNREVEALED-CANARY" not in response.content.decode()


def test_it_exports_a_readable_file_with_the_same_things(alice_client, alice, bob, couple, library):
    shared_history(couple, alice, bob)
    response = alice_client.get(MD_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    body = response.content.decode()
    assert body.startswith("# Attune: everything of yours")
    for text in ("ALICE-REVEALED", "BOB-REVEALED", "ALICE-WAITING", "alice@example.com"):
        assert text in body
    assert "BOB-UNREVEALED-CANARY" not in body
    assert "&lt;" not in body  # plain text, not HTML-escaped


def test_it_exports_evening_answers_both_ways_and_never_an_unrevealed_one(alice_client, alice, bob, couple):
    from prompts.evenings import shipped
    from prompts.services import answer_evening_question, start_evening

    evening_set = next(iter(shipped()[1].values()))
    first = evening_set.question(1)
    assert first is not None
    evening = start_evening(couple=couple, user=alice, evening_set=evening_set)
    for user, text in ((alice, "ALICE-EVENING-1"), (bob, "BOB-EVENING-1"), (bob, "BOB-EVENING-UNREVEALED")):
        number = 2 if text.endswith("UNREVEALED") else 1
        answer_evening_question(evening=evening, evening_set=evening_set, user=user, number=number, text=text)
    data = json.loads(alice_client.get(JSON_URL).content)
    assert data["evenings"] == [
        {
            "set": evening_set.title,
            "question": first.text,
            "yours": "ALICE-EVENING-1",
            "partners": {"name": "Bob", "text": "BOB-EVENING-1"},
        }
    ]
    body = alice_client.get(MD_URL).content.decode()
    assert f"### {evening_set.title}: {first.text}" in body
    assert "**You:** ALICE-EVENING-1" in body and "**Bob:** BOB-EVENING-1" in body
    assert "BOB-EVENING-UNREVEALED" not in body + json.dumps(data)


def test_it_keeps_own_answers_exportable_after_unpairing(alice_client, alice, bob, couple, library):
    from couples.services import unpair

    shared_history(couple, alice, bob)
    unpair(couple=couple)
    Couple.forget_current_for([alice.pk, bob.pk])
    data = json.loads(alice_client.get(JSON_URL).content)
    assert data["couple"] is None
    assert sorted(day["yours"] for day in data["answers"]) == ["ALICE-REVEALED", "ALICE-WAITING"]
    assert all(day["partners"] is None for day in data["answers"])


def test_it_refuses_other_methods_and_anonymous_visitors(alice_client):
    assert alice_client.post(JSON_URL).status_code == 405
    assert alice_client.post(MD_URL).status_code == 405
    assert signed_in_just_now("alice@example.com").put(DELETE_URL).status_code == 405
    for url in (JSON_URL, MD_URL, DELETE_URL):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_it_links_export_sessions_and_deletion_from_settings(alice_client):
    body = text_of(alice_client.get(reverse("accounts:settings")))
    for url in (JSON_URL, MD_URL, DELETE_URL, reverse("usersessions_list")):
        assert f'href="{url}"' in body


# --- Deleting ---------------------------------------------------------------------------


def signed_in_just_now(email: str) -> Client:
    """Signed in, then asked for the password again (allauth's reauthentication)."""
    client = Client()
    assert client.post(reverse("account_login"), {"login": email, "password": PASSWORD}).status_code == 302
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    return client


def test_it_asks_to_sign_in_again_before_deleting(alice_client, alice):
    # force_login is a sign-in with no record of when: as if it were long ago.
    for response in (alice_client.get(DELETE_URL), alice_client.post(DELETE_URL, {"confirm": "delete"})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=alice.pk).exists()


def test_it_keeps_what_was_typed_when_the_word_is_wrong(alice, htmx):
    client = signed_in_just_now("alice@example.com")
    for headers in ({}, htmx):  # type: ignore[var-annotated]
        response = client.post(DELETE_URL, {"confirm": "delet"}, **headers)
        assert response.status_code == 422
        body = text_of(response)
        assert 'value="delet"' in body
        assert "Type “delete” to confirm." in body
        assert ("<html" in body) is not bool(headers)
    assert User.objects.filter(pk=alice.pk).exists()


def test_it_deletes_the_account_and_leaves_the_partner_their_answers(
    alice, bob, couple, library, django_capture_on_commit_callbacks
):
    shared_history(couple, alice, bob)
    make_attempt(alice, "attachment", assessment_answers("attachment"))
    now = timezone.now()
    SendLog.objects.create(user=alice, kind="daily_reminder", key="2026-01-01", created_at=now, claimed_at=now)
    phone = signed_in_just_now("alice@example.com")
    laptop = signed_in_just_now("alice@example.com")
    assert phone.get(DELETE_URL).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post(DELETE_URL, {"confirm": "Delete"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not User.objects.filter(email="alice@example.com").exists()
    assert not Answer.objects.filter(text__startswith="ALICE").exists()
    assert not Attempt.objects.exists()
    assert not SendLog.objects.filter(user_id=alice.pk).exists()  # bob's own notices are his
    couple.refresh_from_db()
    assert couple.ended_at is not None
    assert not Membership.objects.filter(active=True).exists()
    # Both of alice's devices are signed out.
    assert phone.get(reverse("accounts:settings")).status_code == 302
    assert laptop.get(reverse("accounts:settings")).status_code == 302
    # bob keeps his answers; the revealed day shows [deleted] for alice's side.
    assert sorted(Answer.objects.values_list("text", flat=True)) == ["BOB-REVEALED", "BOB-UNREVEALED-CANARY"]
    bobs = Client()
    bobs.force_login(bob)
    body = text_of(bobs.get(reverse("prompts:history")))
    assert "BOB-REVEALED" in body and "[deleted]" in body
    assert "ALICE" not in body
    assert bobs.get(reverse("prompts:today")).status_code == 302  # unpaired: sent to /couple/
