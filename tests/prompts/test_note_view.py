"""/days/<pk>/note/: a private note on a day, for its writer's eyes only."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from prompts.models import Note
from prompts.services import submit_answer

from ..factories import make_answer, make_day, text_of

NO_HEADERS: dict[str, str] = {}
CANARY = "CANARY-note-b77a"


@pytest.fixture
def day(couple, library):
    return make_day(couple)


def note_url(day) -> str:
    return reverse("prompts:note", args=[day.pk])


def test_it_saves_a_note_in_any_state_and_shows_it_to_its_writer(alice_client, alice, day, htmx):
    response = alice_client.post(note_url(day), {"text": "Ask about the interview"}, **htmx)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" not in body
    assert "Ask about the interview" in body and "for your eyes only" in body
    assert Note.objects.get(user=alice, daily_prompt=day).text == "Ask about the interview"
    # /today/ reads no note: it is fetched when opened.
    assert "Ask about the interview" not in text_of(alice_client.get(reverse("prompts:today")))
    fetched = alice_client.get(note_url(day), **htmx)
    assert fetched.status_code == 200 and "Ask about the interview" in text_of(fetched)
    assert "Ask about the interview" in text_of(alice_client.get(reverse("prompts:day", args=[day.pk])))


def test_it_links_to_the_days_page_without_htmx(alice_client, day):
    response = alice_client.get(note_url(day))
    assert response.status_code == 302
    assert response["Location"] == reverse("prompts:day", args=[day.pk])
    saved = alice_client.post(note_url(day), {"text": "x"})
    assert saved.status_code == 302 and saved["Location"] == reverse("prompts:day", args=[day.pk])


def test_it_shows_the_note_in_history_beside_the_answer(alice_client, alice, day):
    make_answer(day, alice, "my answer")
    alice_client.post(note_url(day), {"text": "Remember to hug"})
    body = text_of(alice_client.get(reverse("prompts:history")))
    assert "Remember to hug" in body and "Your private note" in body


def test_it_deletes_an_emptied_note(alice_client, alice, day):
    alice_client.post(note_url(day), {"text": "Soon gone"})
    alice_client.post(note_url(day), {"text": "  "})
    assert not Note.objects.exists()


def test_it_refuses_an_oversize_note_keeps_the_text_and_changes_nothing(alice_client, alice, day, htmx):
    alice_client.post(note_url(day), {"text": "Kept"})
    text = "n" * 2001
    response = alice_client.post(note_url(day), {"text": text}, **htmx)
    assert response.status_code == 422
    body = text_of(response)
    assert text in body and "under 2000 characters" in body
    assert Note.objects.get(user=alice).text == "Kept"
    plain = alice_client.post(note_url(day), {"text": text})
    assert plain.status_code == 422 and text in text_of(plain) and "<html" in text_of(plain)


def test_it_answers_an_outsider_404_and_changes_nothing(client, charlie, other_couple, day, htmx):
    client.force_login(charlie)
    assert client.post(note_url(day), {"text": "mine now"}, **htmx).status_code == 404
    assert client.get(note_url(day), **htmx).status_code == 404
    assert not Note.objects.exists()


def test_it_refuses_other_methods(alice_client, day):
    assert alice_client.put(note_url(day)).status_code == 405


def test_it_never_lets_a_note_reach_the_partner(alice_client, alice, bob, couple, day, htmx):
    """Canary: bob's notes, on a revealed day and on one only he answered, reach alice
    on no page, fragment, export or email; bob himself sees them."""
    revealed = make_day(couple, date=day.date.replace(day=1) if day.date.day != 1 else day.date.replace(day=2))
    submit_answer(daily_prompt=revealed, user=alice, text="a")
    submit_answer(daily_prompt=revealed, user=bob, text="b")
    make_answer(day, bob, "bob today")
    bob_client = Client()
    bob_client.force_login(bob)
    for each in (revealed, day):
        bob_client.post(note_url(each), {"text": CANARY})
    assert Note.objects.filter(user=bob).count() == 2
    assert CANARY in text_of(bob_client.get(reverse("prompts:history")))
    assert CANARY in bob_client.get(reverse("privacy:export_json")).content.decode()
    urls = [
        reverse("prompts:today"),
        reverse("prompts:history"),
        reverse("privacy:export_json"),
        reverse("privacy:export_markdown"),
        *(reverse(name, args=[each.pk]) for name in ("prompts:day", "prompts:note") for each in (revealed, day)),
    ]
    for url in urls:
        for headers in (NO_HEADERS, htmx):
            assert CANARY not in alice_client.get(url, **headers).content.decode(), url
    assert json.loads(alice_client.get(reverse("privacy:export_json")).content)["notes"] == []
