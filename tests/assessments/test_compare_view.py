"""/assessments/<slug>/compare/: separate, then compare. Nothing of a partner's result
shows before one's own is shared; an unshared result never shows at all."""

from django.urls import reverse

from ..factories import make_attempt, text_of
from .helpers import answers, signs

URL = reverse("assessments:compare", args=["fading-intimacy"])
ATTACHMENT_URL = reverse("assessments:compare", args=["attachment"])


def test_it_shows_both_results_and_what_to_talk_about_where_they_differ(alice_client, alice, bob, couple):
    make_attempt(alice, "fading-intimacy", signs(1), shared_with=couple)
    make_attempt(bob, "fading-intimacy", signs(5), shared_with=couple)
    response = alice_client.get(URL)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" in body
    assert "1 of 8" in body and "5 of 8" in body
    assert "Ordinary ups and downs" in body and "Real distance has grown" in body
    assert "Where you differ, talk about" in body
    assert "When did we last feel really close?" in body


def test_it_says_when_partners_answered_alike(alice_client, alice, bob, couple):
    make_attempt(alice, "fading-intimacy", signs(2), shared_with=couple)
    make_attempt(bob, "fading-intimacy", signs(3), shared_with=couple)
    body = text_of(alice_client.get(URL))
    assert "You answered much alike" in body


def test_it_puts_both_partners_on_the_attachment_chart(alice_client, alice, bob, couple):
    make_attempt(alice, "attachment", answers("attachment", "4"), shared_with=couple)
    make_attempt(bob, "attachment", answers("attachment", "1"), shared_with=couple)
    body = text_of(alice_client.get(ATTACHMENT_URL))
    assert 'class="chart-point chart-you"' in body and 'class="chart-point chart-partner"' in body
    # alice all 4s: both scores 4.0, on the cutoffs; bob all 1s: (4 x 1 + 2 x 7) / 6 = 3.0 on both.
    assert "You: Fearful-avoidant" in body and "Bob: Mostly secure" in body


def test_it_canary_an_unshared_partner_result_never_shows(alice_client, alice, bob, couple):
    make_attempt(alice, "fading-intimacy", signs(1), shared_with=couple)
    make_attempt(bob, "fading-intimacy", signs(7))  # taken, not shared
    body = text_of(alice_client.get(URL))
    assert "7 of 8" not in body and "Real distance" not in body
    assert "When Bob shares theirs" in body


def test_it_canary_a_shared_partner_result_stays_hidden_until_ones_own_is_shared(alice_client, alice, bob, couple):
    make_attempt(alice, "fading-intimacy", signs(1))  # taken, not shared
    make_attempt(bob, "fading-intimacy", signs(7), shared_with=couple)
    body = text_of(alice_client.get(URL))
    assert "7 of 8" not in body and "Real distance" not in body
    assert "Share your own result first" in body


def test_it_canary_a_result_shared_in_an_earlier_couple_stays_there(client, alice, bob, charlie, couple, other_couple):
    make_attempt(charlie, "fading-intimacy", signs(7), shared_with=couple)  # a stale share, not charlie's couple now
    make_attempt(alice, "fading-intimacy", signs(1), shared_with=couple)
    client.force_login(alice)
    assert "7 of 8" not in text_of(client.get(URL))


def test_it_shows_an_outsider_nothing_of_ours(client, alice, bob, charlie, couple, other_couple):
    make_attempt(alice, "fading-intimacy", signs(1), shared_with=couple)
    make_attempt(bob, "fading-intimacy", signs(6), shared_with=couple)
    make_attempt(charlie, "fading-intimacy", signs(0), shared_with=other_couple)
    client.force_login(charlie)
    body = text_of(client.get(URL))
    assert "6 of 8" not in body and "1 of 8" not in body
    assert "When Dana shares theirs" in body


def test_it_answers_htmx_with_the_comparison_alone(alice_client, alice, bob, couple, htmx):
    make_attempt(alice, "fading-intimacy", signs(1), shared_with=couple)
    make_attempt(bob, "fading-intimacy", signs(5), shared_with=couple)
    response = alice_client.get(URL, **htmx)
    body = text_of(response)
    assert response.status_code == 200 and "<html" not in body and 'id="compare"' in body and "5 of 8" in body


def test_it_is_404_for_an_unknown_assessment(alice_client, couple):
    assert alice_client.get(reverse("assessments:compare", args=["horoscope"])).status_code == 404


def test_it_refuses_post(alice_client, couple):
    assert alice_client.post(URL).status_code == 405


def test_it_explains_when_a_shared_result_is_from_an_older_version(alice_client, alice, bob, couple):
    make_attempt(alice, "fading-intimacy", signs(1), shared_with=couple)
    old = make_attempt(bob, "fading-intimacy", signs(5), shared_with=couple)
    old.scores, old.answers = {}, {"retired-item": "1"}
    old.save()
    response = alice_client.get(URL)
    assert response.status_code == 200
    assert "comes from an earlier version of this assessment" in text_of(response)
