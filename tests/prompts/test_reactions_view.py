"""/days/<pk>/react/ and /days/<pk>/reply/: a warm word and a short reply to the
partner's answer, only on a day revealed to the writer, seen by both."""

import pytest
from django.test import Client
from django.urls import reverse

from prompts.models import Reaction, ReactionKind
from prompts.services import submit_answer

from ..factories import make_answer, make_day, text_of

NO_HEADERS: dict[str, str] = {}
CANARY = "CANARY-reply-5d1e"


@pytest.fixture
def revealed(couple, alice, bob, library):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text="alice's words")
    submit_answer(daily_prompt=day, user=bob, text="bob's words")
    return day


@pytest.fixture
def bob_client(bob) -> Client:
    client = Client()
    client.force_login(bob)
    return client


def react_url(day) -> str:
    return reverse("prompts:react", args=[day.pk])


def reply_url(day) -> str:
    return reverse("prompts:reply", args=[day.pk])


def test_it_saves_a_reaction_and_shows_it_pressed_in_the_fragment(alice_client, alice, revealed, htmx):
    response = alice_client.post(react_url(revealed), {"kind": ReactionKind.MOVED}, **htmx)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" not in body
    assert f'id="responses-{revealed.pk}"' in body
    assert 'value="moved" aria-pressed="true"' in body
    assert Reaction.objects.get(user=alice).kind == ReactionKind.MOVED


def test_it_shows_the_reaction_and_reply_to_the_partner_on_today_and_in_history(
    alice_client, bob_client, alice, revealed
):
    alice_client.post(react_url(revealed), {"kind": ReactionKind.SMILE})
    alice_client.post(reply_url(revealed), {"reply": "That made my morning"})
    for url in (reverse("prompts:today"), reverse("prompts:history"), reverse("prompts:day", args=[revealed.pk])):
        body = text_of(bob_client.get(url))
        assert "This made me smile" in body, url
        assert "That made my morning" in body, url
        assert "From Alice" in body, url
    reaction = Reaction.objects.get(user=alice)
    assert (reaction.kind, reaction.reply) == (ReactionKind.SMILE, "That made my morning")


def test_it_redirects_to_the_days_page_without_htmx(alice_client, revealed):
    response = alice_client.post(react_url(revealed), {"kind": ReactionKind.THANKS})
    assert response.status_code == 302
    assert response["Location"] == reverse("prompts:day", args=[revealed.pk])


def test_it_keeps_one_row_when_the_same_reaction_is_sent_twice(alice_client, alice, revealed, htmx):
    for _ in range(2):
        assert alice_client.post(react_url(revealed), {"kind": ReactionKind.MORE}, **htmx).status_code == 200
    assert list(Reaction.objects.values_list("user_id", "kind")) == [(alice.pk, ReactionKind.MORE)]


def test_it_takes_a_reaction_back_and_keeps_the_reply(alice_client, alice, revealed):
    alice_client.post(react_url(revealed), {"kind": ReactionKind.MORE})
    alice_client.post(reply_url(revealed), {"reply": "Tell me about the walk"})
    alice_client.post(react_url(revealed), {"kind": ""})
    reaction = Reaction.objects.get(user=alice)
    assert (reaction.kind, reaction.reply) == ("", "Tell me about the walk")
    alice_client.post(reply_url(revealed), {"reply": "  "})
    assert not Reaction.objects.exists()  # nothing left: no row


def test_it_refuses_an_unknown_reaction_and_changes_nothing(alice_client, alice, revealed, htmx):
    alice_client.post(react_url(revealed), {"kind": ReactionKind.MOVED})
    response = alice_client.post(react_url(revealed), {"kind": "meh"}, **htmx)
    assert response.status_code == 422
    assert "Pick one of the reactions shown." in text_of(response)
    assert Reaction.objects.get(user=alice).kind == ReactionKind.MOVED


def test_it_refuses_an_oversize_reply_keeps_the_text_and_changes_nothing(alice_client, alice, revealed, htmx):
    alice_client.post(reply_url(revealed), {"reply": "First reply"})
    text = "warm " * 100 + "!"  # 501 characters
    response = alice_client.post(reply_url(revealed), {"reply": text}, **htmx)
    assert response.status_code == 422
    body = text_of(response)
    assert text in body
    assert "under 500 characters (this is 501)" in body
    assert 'aria-invalid="true"' in body
    assert Reaction.objects.get(user=alice).reply == "First reply"


def test_it_refuses_an_oversize_reply_without_htmx_on_the_days_page(alice_client, revealed):
    text = "y" * 501
    response = alice_client.post(reply_url(revealed), {"reply": text})
    assert response.status_code == 422
    body = text_of(response)
    assert "<html" in body and text in body
    assert not Reaction.objects.exists()


def test_it_refuses_to_react_before_the_day_is_revealed_to_the_user(alice_client, alice, bob, couple, library, htmx):
    day = make_day(couple)
    make_answer(day, bob, "bob waits")
    for url, data in ((react_url(day), {"kind": ReactionKind.MOVED}), (reply_url(day), {"reply": "hello"})):
        response = alice_client.post(url, data, **htmx)
        assert response.status_code == 422
        assert "once you have both answered" in text_of(response)
        assert "bob waits" not in text_of(response)
    make_answer(day, alice, "alice answers, not revealed yet")  # waiting: still not revealed
    assert alice_client.post(react_url(day), {"kind": ReactionKind.MOVED}, **htmx).status_code == 422
    assert not Reaction.objects.exists()


def test_it_answers_an_outsider_404_and_changes_nothing(client, charlie, other_couple, revealed, htmx):
    client.force_login(charlie)
    assert client.post(react_url(revealed), {"kind": ReactionKind.MOVED}, **htmx).status_code == 404
    assert client.post(reply_url(revealed), {"reply": "hi"}).status_code == 404
    assert client.get(reverse("prompts:day", args=[revealed.pk])).status_code == 404
    assert not Reaction.objects.exists()


def test_it_refuses_get(alice_client, revealed):
    assert alice_client.get(react_url(revealed)).status_code == 405
    assert alice_client.get(reply_url(revealed)).status_code == 405


def test_it_never_shows_a_partners_reply_on_a_day_the_user_has_not_answered(
    alice_client, alice, bob, couple, library, htmx
):
    """Canary: a reaction row of bob's on a day alice has not answered (written behind the
    services' back) reaches alice nowhere: today, its fragment, history, the day, export."""
    day = make_day(couple)
    make_answer(day, bob, "bob's answer")
    Reaction.objects.create(daily_prompt=day, user=bob, kind=ReactionKind.WITH_YOU, reply=CANARY)
    urls = [
        reverse("prompts:today"),
        reverse("prompts:history"),
        reverse("prompts:day", args=[day.pk]),
        reverse("privacy:export_json"),
        reverse("privacy:export_markdown"),
    ]
    for url in urls:
        for headers in (NO_HEADERS, htmx):
            body = text_of(alice_client.get(url, **headers))
            assert CANARY not in body, url
            assert "From Bob" not in body, url
    make_answer(day, alice, "alice's answer")  # answered, but the day is not revealed
    for url in urls:
        assert CANARY not in text_of(alice_client.get(url)), url


def test_it_reads_reactions_only_for_a_user_the_day_is_revealed_to(alice, bob, charlie, couple, library):
    """The rule itself, without HTTP: DailyPrompt.reactions_visible_to."""
    from prompts.models import DailyPrompt

    day = make_day(couple)
    make_answer(day, bob, "bob")
    Reaction.objects.create(daily_prompt=day, user=bob, reply=CANARY)
    assert DailyPrompt.objects.get(pk=day.pk).reactions_visible_to(alice) == []
    make_answer(day, alice, "alice")
    assert DailyPrompt.objects.get(pk=day.pk).reactions_visible_to(alice) == []  # answered, not revealed
    DailyPrompt.objects.filter(pk=day.pk).update(revealed_at=day.created_at)
    fresh = DailyPrompt.objects.get(pk=day.pk)
    assert [reaction.reply for reaction in fresh.reactions_visible_to(alice)] == [CANARY]
    assert fresh.reactions_visible_to(charlie) == []
