"""/assessments/<slug>/: the plain form, the one-question steps, and what is saved."""

import uuid

from django.contrib.sessions.models import Session
from django.urls import reverse

from assessments.models import Attempt

from ..factories import text_of
from .helpers import post_data

URL = reverse("assessments:take", args=["attachment"])
CHECKLIST_URL = reverse("assessments:take", args=["fading-intimacy"])


def test_it_shows_the_whole_form_to_anyone(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" in body
    assert body.count('type="radio"') == 12 * 7
    assert "When a message to my partner goes unanswered" in body
    assert "nothing is saved unless you sign up" in body
    # htmx turns it into one question per screen; without script the form stays.
    assert 'hx-get="/assessments/attachment/?step=1"' in body


def test_it_answers_htmx_with_one_question_and_the_progress(client, db, htmx):
    response = client.get(URL + "?step=1", **htmx)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" not in body
    assert "Question 1 of 12" in body
    assert body.count('type="radio"') == 7
    assert 'name="step" value="1"' in body


def test_it_steps_forward_carrying_earlier_answers_in_the_form(client, db, htmx):
    response = client.post(
        URL, {"step": "1", "go": "next", "q-anx-unanswered": "6", "token": str(uuid.uuid4())}, **htmx
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "Question 2 of 12" in body
    assert '<input type="hidden" name="q-anx-unanswered" value="6">' in body
    assert "autofocus" in body


def test_it_keeps_the_step_and_says_so_when_the_answer_is_missing(client, db, htmx):
    response = client.post(URL, {"step": "2", "go": "next", "q-anx-unanswered": "6"}, **htmx)
    assert response.status_code == 200  # re-rendered with the message, not an error page
    body = text_of(response)
    assert "Question 2 of 12" in body
    assert "Please choose an answer to this one." in body
    assert '<input type="hidden" name="q-anx-unanswered" value="6">' in body


def test_it_steps_back_without_asking_for_an_answer(client, db, htmx):
    response = client.post(URL, {"step": "3", "go": "back", "q-anx-unanswered": "6", "q-anx-settle": "2"}, **htmx)
    assert response.status_code == 200
    body = text_of(response)
    assert "Question 2 of 12" in body
    assert 'name="q-anx-settle" value="2" checked' in body


def test_it_shows_a_signed_out_visitor_the_result_after_the_last_step_and_keeps_nothing(client, db, htmx):
    data = {**post_data("attachment", "2"), "q-avo-struggling": "7"}
    response = client.post(URL, {**data, "step": "12", "go": "next"}, **htmx)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" not in body
    assert "Mostly secure" in body and "<svg" in body
    assert "not a diagnosis" in body
    assert Attempt.objects.count() == 0
    assert Session.objects.count() == 0
    assert "sessionid" not in response.cookies


def test_it_shows_a_signed_out_visitor_the_result_of_the_plain_form(client, db):
    response = client.post(URL, post_data("attachment", "6"))
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" in body
    assert "Fearful-avoidant: wanting closeness and wary of it" in body
    assert "The pursue-withdraw cycle" in body
    assert "ECR-R" in body
    assert "Sign up to keep results" in body
    assert reverse("assessments:support") in body
    assert Attempt.objects.count() == 0
    assert Session.objects.count() == 0


def test_it_keeps_answers_and_names_the_missing_ones(client, db):
    data = post_data("attachment", "3")
    del data["q-avo-pressure"]
    response = client.post(URL, data)
    assert response.status_code == 200  # re-rendered with the message, not an error page
    body = text_of(response)
    assert "A few questions still need an answer" in body
    assert body.count("Please choose an answer to this one.") == 1
    assert body.count('value="3" checked') == 11
    assert Attempt.objects.count() == 0


def test_it_refuses_an_out_of_range_value_with_a_message(alice_client):
    response = alice_client.post(CHECKLIST_URL, post_data("fading-intimacy", "0", lonely="9"))
    assert response.status_code == 200  # re-rendered with the message, not an error page
    assert "That answer is not one of the options" in text_of(response)
    assert Attempt.objects.count() == 0


def test_it_refuses_an_unknown_item_and_keeps_the_rest(alice_client):
    response = alice_client.post(CHECKLIST_URL, {**post_data("fading-intimacy", "1"), "q-made-up": "1"})
    assert response.status_code == 200  # re-rendered with the message, not an error page
    body = text_of(response)
    assert "Some answers did not match this assessment's questions" in body
    assert body.count('value="1" checked') == 8
    assert Attempt.objects.count() == 0


def test_it_sends_a_tampered_earlier_step_back_to_that_question(client, db, htmx):
    data = {**post_data("attachment", "4"), "q-anx-settle": "99"}
    response = client.post(URL, {**data, "step": "12", "go": "next"}, **htmx)
    assert response.status_code == 200  # re-rendered with the message, not an error page
    body = text_of(response)
    assert "Question 2 of 12" in body
    assert "That answer is not one of the options" in body


def test_it_treats_a_malformed_step_or_token_as_the_plain_form(alice_client, alice):
    data = {**post_data("fading-intimacy", "0"), "step": "abc", "token": "not-a-uuid"}
    response = alice_client.post(CHECKLIST_URL, data)
    assert response.status_code == 302
    assert Attempt.objects.filter(user=alice).count() == 1


def test_it_saves_the_answers_whatever_the_length_of_a_mangled_token(alice_client, alice, htmx):
    data = {**post_data("fading-intimacy", "0"), "token": "x" * 65}
    assert alice_client.post(CHECKLIST_URL, data).status_code == 302
    stepped = {**data, "token": str(uuid.uuid4()) * 3, "step": "12", "go": "next"}
    response = alice_client.post(CHECKLIST_URL, stepped, **htmx)
    assert response.status_code == 200 and response["HX-Redirect"]
    assert Attempt.objects.filter(user=alice).count() == 2


def test_it_saves_a_signed_in_attempt_with_its_date_and_shows_it(alice_client, alice):
    response = alice_client.post(CHECKLIST_URL, {**post_data("fading-intimacy", "1"), "token": str(uuid.uuid4())})
    attempt = Attempt.objects.get(user=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:result", args=["fading-intimacy", attempt.pk])
    assert attempt.scores == {"signs": 8}
    assert attempt.answers["lonely"] == "1"
    assert attempt.shared_with is None
    assert attempt.created_at is not None


def test_it_sends_htmx_to_the_saved_result(alice_client, alice, htmx):
    data = {**post_data("fading-intimacy", "0"), "step": "8", "go": "next"}
    response = alice_client.post(CHECKLIST_URL, data, **htmx)
    attempt = Attempt.objects.get(user=alice)
    assert response["HX-Redirect"] == reverse("assessments:result", args=["fading-intimacy", attempt.pk])


def test_it_saves_a_double_submit_once(alice_client, alice):
    data = {**post_data("fading-intimacy", "1"), "token": str(uuid.uuid4())}
    first = alice_client.post(CHECKLIST_URL, data)
    second = alice_client.post(CHECKLIST_URL, data, follow=True)
    assert Attempt.objects.filter(user=alice).count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert "These answers were already saved" in text_of(second)


def test_it_is_404_for_an_unknown_assessment(client, db):
    assert client.get(reverse("assessments:take", args=["horoscope"])).status_code == 404


def test_it_refuses_other_methods(client, db):
    assert client.put(URL).status_code == 405


def test_it_offers_a_signed_out_visitor_a_signup_that_carries_the_answers_outside_the_url(client, db):
    response = client.post(CHECKLIST_URL, post_data("fading-intimacy", "0", lonely="1"))
    body = text_of(response)
    assert 'href="/accounts/signup/?next=%2Fassessments%2Ffading-intimacy%2F%3Fkept%3D1"' in body
    # In the page for static/js/assessments.js to keep in the tab, never in a URL.
    assert 'data-keep-answers="0,0,1,0,0,0,0,0"' in body and "?answers=" not in body
    assert "js/assessments.js" in body
    assert Session.objects.count() == 0


def test_it_gives_the_whole_form_to_fill_in_after_signup(alice_client, alice):
    body = text_of(alice_client.get(CHECKLIST_URL + "?kept=1"))
    assert 'data-keep-restore="fading-intimacy"' in body
    assert "Save my result" in body
    assert "hx-trigger" not in body  # stays the whole form, for the script to fill in
    assert "checked" not in body and Attempt.objects.count() == 0


def test_it_ignores_answers_in_the_url(client, db):
    body = text_of(client.get(CHECKLIST_URL + "?answers=0,0,1,0,0,0,0,1"))
    assert "checked" not in body and "data-keep-restore" not in body
