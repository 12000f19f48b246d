"""Evenings together: three or more sets of twelve questions from light to vulnerable,
taken one at a time, each partner's answer shown only once both have answered."""

from pathlib import Path

import pytest
from django.urls import reverse

from prompts.evenings import QUESTIONS_PER_SET, EveningState, get_set, progress_for, read_sets, shipped
from prompts.library import LibraryError, normalise
from prompts.models import DEPTH_ORDER, Depth, EveningAnswer, Prompt
from prompts.services import EveningOutOfStep, answer_evening_question, start_evening

from ..factories import text_of
from ..races import race

SLUG = "a-slow-evening"
URL = reverse("prompts:evening", args=[SLUG])
CANARY = "CANARY-evening-9b1c"


@pytest.fixture
def evening_set():
    found = get_set(SLUG)
    assert found is not None
    return found


@pytest.fixture
def evening(couple, alice, evening_set):
    return start_evening(couple=couple, user=alice, evening_set=evening_set)


def current(evening, evening_set, user) -> int | None:
    question = progress_for(evening, evening_set, user).current
    return question.number if question else None


def answer(evening, evening_set, user, number, text):
    return answer_evening_question(evening=evening, evening_set=evening_set, user=user, number=number, text=text)


def test_it_ships_at_least_three_sets_of_twelve_escalating_questions():
    research, sets = shipped()
    assert len(sets) >= 3
    assert "Aron" in research and "1997" in research
    for evening_set in sets.values():
        assert len(evening_set.questions) == QUESTIONS_PER_SET
        depths = [DEPTH_ORDER[Depth(question.depth)] for question in evening_set.questions]
        assert depths == sorted(depths), evening_set.slug
        assert depths[0] == DEPTH_ORDER[Depth.LIGHT] and depths[-1] == DEPTH_ORDER[Depth.VULNERABLE]
        assert [question.number for question in evening_set.questions] == list(range(1, 13))


def test_it_asks_no_question_twice_and_none_from_the_daily_library(library):
    texts = [normalise(q.text) for s in shipped()[1].values() for q in s.questions]
    assert len(texts) == len(set(texts))
    assert not set(texts) & {normalise(text) for text in Prompt.objects.values_list("text", flat=True)}


def test_it_refuses_a_set_that_goes_back_to_lighter_questions(tmp_path: Path):
    source = Path("prompts/data/evenings.toml").read_text()
    broken = source.replace(
        '{ depth = "vulnerable", text = "What part of you', '{ depth = "light", text = "What part of you'
    )
    assert broken != source
    (tmp_path / "evenings.toml").write_text(broken)
    with pytest.raises(LibraryError, match="light to vulnerable"):
        read_sets(tmp_path / "evenings.toml")


def test_it_takes_the_questions_in_order_one_at_a_time(evening, evening_set, alice, bob):
    assert current(evening, evening_set, alice) == 1
    answer(evening, evening_set, alice, 1, "alice one")
    assert progress_for(evening, evening_set, alice).state == EveningState.WAITING
    with pytest.raises(EveningOutOfStep):
        answer(evening, evening_set, alice, 2, "too soon")
    answer(evening, evening_set, bob, 1, "bob one")
    progress = progress_for(evening, evening_set, alice)
    assert current(evening, evening_set, alice) == 2 and progress.state == EveningState.ANSWER
    assert [(q.number, mine and mine.text, theirs and theirs.text) for q, mine, theirs in progress.revealed] == [
        (1, "alice one", "bob one")
    ]
    with pytest.raises(EveningOutOfStep):
        answer(evening, evening_set, alice, 1, "changing a revealed answer")
    assert EveningAnswer.objects.get(user=alice, number=1).text == "alice one"
    assert not EveningAnswer.objects.filter(number=2).exists()


def test_it_finishes_after_the_twelfth(evening, evening_set, alice, bob):
    for number in range(1, 13):
        answer(evening, evening_set, alice, number, f"a{number}")
        answer(evening, evening_set, bob, number, f"b{number}")
    progress = progress_for(evening, evening_set, bob)
    assert progress.state == EveningState.FINISHED and len(progress.revealed) == 12


def test_it_never_shows_the_partners_answer_before_ones_own(evening, evening_set, alice, bob, charlie, other_couple):
    answer(evening, evening_set, bob, 1, CANARY)
    assert list(EveningAnswer.objects.visible_to(alice)) == []
    assert list(EveningAnswer.objects.visible_to(charlie)) == []
    progress = progress_for(evening, evening_set, alice)
    assert progress.partner_answered and progress.mine is None and progress.revealed == []
    answer(evening, evening_set, alice, 1, "mine")
    assert {a.text for a in EveningAnswer.objects.visible_to(alice)} == {"mine", CANARY}


def test_it_keeps_the_canary_off_every_evening_page(client, evening, evening_set, alice, bob, htmx, library):
    answer(evening, evening_set, bob, 1, CANARY)
    client.force_login(alice)
    urls = [
        reverse("prompts:evenings"),
        URL,
        reverse("prompts:evening_status", args=[SLUG, 1]),
        reverse("prompts:history"),
        reverse("prompts:today"),
        reverse("privacy:export_json"),
    ]
    for url in urls:
        variants: list[dict[str, str]] = [{}, htmx]
        for headers in variants:
            response = client.get(url, **headers)
            assert CANARY not in response.content.decode(), url
    assert "Bob answered. Your turn." in text_of(client.get(URL))


@pytest.mark.django_db(transaction=True)
def test_it_keeps_both_answers_given_at_once_and_moves_both_on(couple, alice, bob, evening_set):
    evening = start_evening(couple=couple, user=alice, evening_set=evening_set)
    race(
        lambda: answer(evening, evening_set, alice, 1, "alice at once"),
        lambda: answer(evening, evening_set, bob, 1, "bob at once"),
    )
    assert EveningAnswer.objects.filter(number=1).count() == 2
    assert current(evening, evening_set, alice) == 2
    assert current(evening, evening_set, bob) == 2


def test_it_starts_an_evening_once_and_answers_through_the_page(alice_client, client, alice, bob, couple):
    assert "Start this evening" in text_of(alice_client.get(URL))
    alice_client.post(reverse("prompts:evening_start", args=[SLUG]))
    alice_client.post(reverse("prompts:evening_start", args=[SLUG]))
    assert couple.evenings.count() == 1
    response = alice_client.post(URL, {"number": 1, "text": "alice's evening words"})
    assert response.status_code == 302
    body = text_of(alice_client.get(URL))
    assert "hidden until Bob answers" in body and "every 5s" in body
    status = reverse("prompts:evening_status", args=[SLUG, 1])
    assert alice_client.get(status).status_code == 204
    client.force_login(bob)
    client.post(URL, {"number": 1, "text": "bob's evening words"})
    client.force_login(alice)
    response = client.get(status, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Retarget"] == "#evening"
    body = text_of(response)
    assert "alice's evening words" in body and "bob's evening words" in body
    assert "Question 2 of 12" in body and "<html" not in body


def test_it_keeps_the_typed_text_when_the_answer_is_too_long(alice_client, evening, htmx):
    text = "y" * 2001
    response = alice_client.post(URL, {"number": 1, "text": text}, **htmx)
    assert response.status_code == 422
    assert text in text_of(response) and "<html" not in text_of(response)
    assert not EveningAnswer.objects.exists()


@pytest.mark.parametrize("data", [{"number": 5, "text": "skipping ahead"}, {"number": "x", "text": "t"}, {"text": "t"}])
def test_it_refuses_an_answer_out_of_step_and_changes_nothing(alice_client, evening, data):
    response = alice_client.post(URL, data)
    assert response.status_code in (302, 422)
    assert not EveningAnswer.objects.exists()


def test_it_asks_to_start_before_answering(alice_client, couple):
    response = alice_client.post(URL, {"number": 1, "text": "eager"})
    assert response.status_code == 302
    assert not EveningAnswer.objects.exists()


def test_it_gives_404_for_an_unknown_set(alice_client, couple):
    assert alice_client.get(reverse("prompts:evening", args=["no-such-set"])).status_code == 404
    assert alice_client.post(reverse("prompts:evening_start", args=["no-such-set"])).status_code == 404


def test_it_keeps_each_couples_evening_its_own(client, charlie, other_couple, evening, evening_set, bob):
    answer(evening, evening_set, bob, 1, CANARY)
    client.force_login(charlie)
    assert "Start this evening" in text_of(client.get(URL))
    assert client.get(reverse("prompts:evening_status", args=[SLUG, 1])).status_code == 404


def test_it_lists_the_sets(alice_client, evening):
    body = text_of(alice_client.get(reverse("prompts:evenings")))
    for evening_set in shipped()[1].values():
        assert evening_set.title in body
    assert "Carry on" in body and "Aron" in body


def test_it_refuses_wrong_methods(alice_client, couple):
    assert alice_client.post(reverse("prompts:evenings")).status_code == 405
    assert alice_client.get(reverse("prompts:evening_start", args=[SLUG])).status_code == 405


def test_it_exports_ones_own_evening_answers_and_revealed_ones_only(alice_client, evening, evening_set, alice, bob):
    answer(evening, evening_set, alice, 1, "alice first")
    answer(evening, evening_set, bob, 1, "bob first")
    answer(evening, evening_set, bob, 2, CANARY)
    exported = alice_client.get(reverse("privacy:export_json")).json()["evenings"]
    assert exported == [
        {
            "set": evening_set.title,
            "question": evening_set.questions[0].text,
            "yours": "alice first",
            "partners": {"name": "Bob", "text": "bob first"},
        }
    ]
    assert CANARY not in alice_client.get(reverse("privacy:export_markdown")).content.decode()
