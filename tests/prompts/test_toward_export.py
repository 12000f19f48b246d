"""The export (privacy/) with what turning toward adds: one's own reactions, replies and
notes, and the partner's reactions and replies on revealed days; never the partner's
notes, never a partner's response on a day whose answers are not both shown."""

import json

from django.urls import reverse

from prompts.models import Note, Reaction, ReactionKind
from prompts.services import submit_answer

from ..factories import make_answer, make_day

JSON_URL = reverse("privacy:export_json")
MD_URL = reverse("privacy:export_markdown")


def history(couple, alice, bob):
    """A revealed day both responded to and wrote notes on, and a day only bob answered
    where a reply of bob's sits (as if written behind the services' back)."""
    revealed = make_day(couple, date=couple.local_date().replace(day=1))
    submit_answer(daily_prompt=revealed, user=alice, text="ALICE-REVEALED")
    submit_answer(daily_prompt=revealed, user=bob, text="BOB-REVEALED")
    Reaction.objects.create(daily_prompt=revealed, user=alice, kind=ReactionKind.MOVED, reply="ALICE-REPLY")
    Reaction.objects.create(daily_prompt=revealed, user=bob, kind=ReactionKind.THANKS, reply="BOB-REPLY")
    Note.objects.create(daily_prompt=revealed, user=alice, text="ALICE-NOTE")
    Note.objects.create(daily_prompt=revealed, user=bob, text="BOB-NOTE-CANARY")
    waiting = make_day(couple, date=couple.local_date().replace(day=2))
    make_answer(waiting, bob, "BOB-UNREVEALED")
    Reaction.objects.create(daily_prompt=waiting, user=bob, reply="BOB-UNREVEALED-REPLY-CANARY")
    Note.objects.create(daily_prompt=waiting, user=alice, text="ALICE-NOTE-UNANSWERED")


def test_it_exports_own_responses_and_notes_and_the_partners_revealed_replies(
    alice_client, alice, bob, couple, library
):
    history(couple, alice, bob)
    data = json.loads(alice_client.get(JSON_URL).content)
    (day,) = data["answers"]
    assert day["your_response"] == {"reaction": "This moved me", "reply": "ALICE-REPLY"}
    assert day["partners_response"] == {"reaction": "Thank you for telling me", "reply": "BOB-REPLY"}
    assert [note["text"] for note in data["notes"]] == ["ALICE-NOTE", "ALICE-NOTE-UNANSWERED"]
    raw = json.dumps(data)
    assert "CANARY" not in raw


def test_it_writes_the_same_into_the_readable_file(alice_client, alice, bob, couple, library):
    history(couple, alice, bob)
    body = alice_client.get(MD_URL).content.decode()
    for text in ("ALICE-REPLY", "BOB-REPLY", "This moved me", "ALICE-NOTE", "ALICE-NOTE-UNANSWERED", "Private notes"):
        assert text in body, text
    assert "CANARY" not in body


def test_it_gives_the_partner_their_own_notes_and_never_alices(client, alice, bob, couple, library):
    history(couple, alice, bob)
    client.force_login(bob)
    data = json.loads(client.get(JSON_URL).content)
    assert [note["text"] for note in data["notes"]] == ["BOB-NOTE-CANARY"]
    assert "ALICE-NOTE" not in json.dumps(data)
