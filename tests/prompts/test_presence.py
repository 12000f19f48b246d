"""Presence on the today card: whether the partner answered, never what."""

from django.urls import reverse

from prompts.models import DailyPrompt

from ..factories import make_answer, make_day, text_of

URL = reverse("prompts:today")


def test_it_says_the_partner_answered_without_their_words(alice_client, bob, couple, library):
    day = make_day(couple)
    make_answer(day, bob, "bob-private-words")
    body = text_of(alice_client.get(URL))
    assert "Bob answered. Your turn." in body
    assert "bob-private-words" not in body
    assert "until they have written theirs" not in body
    assert "will not see yours" not in body  # false once they have answered
    assert "Their answer stays closed until you share yours." in body
    assert 'name="text"' in body


def test_it_says_nothing_of_presence_before_the_partner_answers(alice_client, couple, library):
    body = text_of(alice_client.get(URL))
    assert "answered. Your turn." not in body
    assert "Neither of you sees the other's answer until you have both written one." in body


def test_it_says_so_in_the_htmx_fragment_too(alice_client, bob, couple, library, htmx):
    day = make_day(couple)
    make_answer(day, bob, "bob-private-words")
    body = text_of(alice_client.get(URL, **htmx))
    assert "Bob answered. Your turn." in body
    assert "bob-private-words" not in body
    assert "<html" not in body


def test_it_labels_the_reveal_you_and_the_partners_name(alice_client, alice, bob, couple, library):
    day = make_day(couple)
    make_answer(day, alice, "alice-words")
    make_answer(day, bob, "bob-words")
    DailyPrompt.objects.filter(pk=day.pk).update(revealed_at=day.created_at)
    body = alice_client.get(URL).content.decode()
    assert 'class="prompt-card is-revealed"' in body
    you, partner = (
        body.index('<figcaption class="answer-name">You</figcaption>'),
        body.index('<figcaption class="answer-name">Bob</figcaption>'),
    )
    assert you < body.index("alice-words") < partner < body.index("bob-words")
    assert "answered. Your turn." not in body


# --- The rule, without HTTP ---------------------------------------------------------


def fresh(day: DailyPrompt) -> DailyPrompt:
    return DailyPrompt.objects.get(pk=day.pk)


def test_it_knows_the_partner_answered_while_hiding_the_answer(alice, bob, couple, library):
    day = make_day(couple)
    assert not fresh(day).partner_has_answered(alice)
    make_answer(day, bob, "bob-private-words")
    day = fresh(day)
    assert day.partner_has_answered(alice)
    assert day.answers_visible_to(alice) == []
    assert not day.partner_has_answered(bob)


def test_it_reads_presence_and_answers_in_one_query(alice, bob, couple, library, django_assert_num_queries):
    day = make_day(couple)
    make_answer(day, bob, "bob-private-words")
    day = fresh(day)
    with django_assert_num_queries(1):
        assert day.partner_has_answered(alice)
        assert day.answers_visible_to(alice) == []


def test_it_tells_an_outsider_nothing(charlie, other_couple, bob, couple, library):
    day = make_day(couple)
    make_answer(day, bob, "bob-private-words")
    assert not fresh(day).partner_has_answered(charlie)
    assert fresh(day).answers_visible_to(charlie) == []
