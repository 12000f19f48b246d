"""/assessments/<slug>/results/<pk>/: one's own saved result, with its trend."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ..factories import make_attempt, text_of
from .helpers import answers, signs


def url(attempt) -> str:
    return reverse("assessments:result", args=[attempt.assessment, attempt.pk])


def test_it_shows_ones_own_result_with_its_date(alice_client, alice):
    attempt = make_attempt(alice, "fading-intimacy", signs(3))
    response = alice_client.get(url(attempt))
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" in body
    assert "Time to put connection first" in body
    assert "3 of 8" in body
    assert f"Taken on {timezone.localdate(attempt.created_at):%-d %B %Y}" in body
    assert "not a diagnosis" in body and reverse("assessments:support") in body


def test_it_draws_a_trend_once_there_are_two_attempts(alice_client, alice):
    earlier = timezone.now() - timedelta(days=30)
    make_attempt(alice, "fading-intimacy", signs(5), when=earlier)
    body = text_of(alice_client.get(url(make_attempt(alice, "fading-intimacy", signs(1)))))
    assert "Over time" in body
    assert "5 / 8 → 1 / 8" in body
    assert 'class="trend-line"' in body


def test_it_draws_no_trend_for_a_first_attempt(alice_client, alice):
    body = text_of(alice_client.get(url(make_attempt(alice, "fading-intimacy", signs(1)))))
    assert "Over time" not in body


def test_it_places_attachment_on_the_chart(alice_client, alice):
    attempt = make_attempt(alice, "attachment", answers("attachment", "4"))
    body = text_of(alice_client.get(url(attempt)))
    # 4.0 on both: the point sits on the crossing of the cutoffs, in the middle.
    assert '<circle class="chart-point chart-you" cx="140.0" cy="140.0"' in body
    assert "Fearful-avoidant" in body


def test_it_is_404_for_someone_elses_result_even_a_partners(client, alice, bob, charlie, couple):
    attempt = make_attempt(alice, "fading-intimacy", signs(2), shared_with=couple)
    for person in (bob, charlie):
        client.force_login(person)
        assert client.get(url(attempt)).status_code == 404


def test_it_is_404_under_another_assessments_slug(alice_client, alice):
    attempt = make_attempt(alice, "fading-intimacy", signs(2))
    assert alice_client.get(reverse("assessments:result", args=["attachment", attempt.pk])).status_code == 404


def test_it_asks_a_signed_out_visitor_to_sign_in(client, alice):
    response = client.get(url(make_attempt(alice, "fading-intimacy", signs(2))))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_offers_an_unpaired_person_to_invite_rather_than_share(alice_client, alice):
    body = text_of(alice_client.get(url(make_attempt(alice, "fading-intimacy", signs(2)))))
    assert "Invite your partner" in body and "Share with" not in body


def test_it_refuses_post(alice_client, alice):
    assert alice_client.post(url(make_attempt(alice, "fading-intimacy", signs(2)))).status_code == 405


def test_it_explains_a_result_the_assessment_has_outgrown(alice_client, alice):
    attempt = make_attempt(alice, "fading-intimacy", signs(2))
    attempt.scores, attempt.answers = {"retired": 3}, {"retired-item": "1"}
    attempt.save()
    response = alice_client.get(url(attempt))
    assert response.status_code == 200
    assert "comes from an earlier version of this assessment" in text_of(response)


def test_it_rescores_a_saved_result_when_the_assessment_gained_a_dimension(alice_client, alice):
    attempt = make_attempt(alice, "fading-intimacy", signs(4))
    attempt.scores = {}
    attempt.save()
    assert "Real distance has grown" in text_of(alice_client.get(url(attempt)))


def test_it_links_each_suggested_ritual_to_its_add_page(alice_client, alice):
    attempt = make_attempt(alice, "fading-intimacy", signs(3))
    body = text_of(alice_client.get(url(attempt)))
    new = reverse("rituals:new")
    for key, title in (("daily-check-in", "Daily check-in"), ("phone-free-hour", "A phone-free hour")):
        assert f'<a href="{new}?from={key}">{title}</a>' in body


def test_it_draws_the_trend_over_the_last_twelve_attempts(alice_client, alice):
    start = timezone.now() - timedelta(days=100)
    for n in range(14):
        make_attempt(alice, "fading-intimacy", signs(8 if n < 2 else n % 3), when=start + timedelta(days=n))
    latest = make_attempt(alice, "fading-intimacy", signs(1))
    response = alice_client.get(url(latest))
    trend = response.context["trend"]
    assert len(trend.dates) == 12 and trend.dates[-1] == latest.created_at
    assert "8 / 8" not in text_of(response)  # the two oldest fell off
