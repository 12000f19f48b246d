"""/assessments/ and /assessments/support/."""

from django.test import override_settings
from django.urls import reverse

from assessments.definitions import catalogue

from ..factories import make_attempt, text_of
from .helpers import signs

URL = reverse("assessments:index")
SUPPORT = reverse("assessments:support")


def test_it_lists_every_assessment_for_anyone(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" in body
    for slug, assessment in catalogue().items():
        assert assessment.title in body
        assert reverse("assessments:take", args=[slug]) in body
    assert SUPPORT in body


def test_it_links_ones_latest_result(alice_client, alice):
    attempt = make_attempt(alice, "fading-intimacy", signs(2))
    body = text_of(alice_client.get(URL))
    assert reverse("assessments:result", args=["fading-intimacy", attempt.pk]) in body


def test_it_shows_no_one_elses_results(client, alice, bob, couple):
    attempt = make_attempt(alice, "fading-intimacy", signs(2), shared_with=couple)
    client.force_login(bob)
    assert reverse("assessments:result", args=["fading-intimacy", attempt.pk]) not in text_of(client.get(URL))


def test_it_answers_htmx_with_the_list(client, db, htmx):
    response = client.get(URL, **htmx)
    body = text_of(response)
    assert response.status_code == 200 and "<html" not in body and 'id="assessment-list"' in body


def test_it_refuses_post(client, db):
    assert client.post(URL).status_code == 405
    assert client.post(SUPPORT).status_code == 405


def test_it_explains_when_to_seek_support(client, db):
    body = text_of(client.get(SUPPORT))
    assert "When to seek support" in body
    assert "Arguments regularly escalate" in body
    assert "What couples therapy offers" in body
    assert "licensed or registered therapist" in body
    assert "call your local emergency number" in body


@override_settings(CRISIS_LINES=["Samaritans (UK and Ireland): call 116 123", "988 Lifeline (US): call or text 988"])
def test_it_lists_the_crisis_lines_the_deployer_configured(client, db):
    body = text_of(client.get(SUPPORT))
    assert "<li>Samaritans (UK and Ireland): call 116 123</li>" in body
    assert "<li>988 Lifeline (US): call or text 988</li>" in body


def test_it_links_a_comparison_only_once_both_have_shared(client, alice, bob, couple):
    compare = reverse("assessments:compare", args=["fading-intimacy"])
    make_attempt(bob, "fading-intimacy", signs(4), shared_with=couple)
    client.force_login(alice)
    make_attempt(alice, "fading-intimacy", signs(1))
    assert compare not in text_of(client.get(URL))
    make_attempt(alice, "fading-intimacy", signs(1), shared_with=couple)
    assert compare in text_of(client.get(URL))
