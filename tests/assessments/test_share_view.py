"""Sharing a result with one's partner, and taking it back."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt

from ..factories import make_attempt, text_of
from .helpers import signs


def url(attempt) -> str:
    return reverse("assessments:share", args=[attempt.assessment, attempt.pk])


def test_it_shares_a_result_with_the_couple(alice_client, alice, couple):
    attempt = make_attempt(alice, "fading-intimacy", signs(2))
    response = alice_client.post(url(attempt), {"shared": "1"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.shared_with == couple and attempt.shared_at is not None
    body = text_of(alice_client.get(response["Location"]))
    assert "Shared with Bob." in body
    assert "Bob sees it only after sharing their own result" in body


def test_it_stops_sharing(alice_client, alice, couple):
    attempt = make_attempt(alice, "fading-intimacy", signs(2), shared_with=couple)
    alice_client.post(url(attempt), {"shared": "0"})
    attempt.refresh_from_db()
    assert attempt.shared_with is None and attempt.shared_at is None


def test_it_answers_htmx_with_the_share_card(alice_client, alice, couple, htmx):
    attempt = make_attempt(alice, "fading-intimacy", signs(2))
    response = alice_client.post(url(attempt), {"shared": "1"}, **htmx)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" not in body and 'id="share"' in body and "Stop sharing" in body


def test_it_links_the_comparison_once_both_have_shared(alice_client, alice, bob, couple, htmx):
    make_attempt(bob, "fading-intimacy", signs(5), shared_with=couple)
    attempt = make_attempt(alice, "fading-intimacy", signs(2))
    body = text_of(alice_client.post(url(attempt), {"shared": "1"}, **htmx))
    assert "Bob has shared theirs too." in body
    assert reverse("assessments:compare", args=["fading-intimacy"]) in body


def test_it_is_404_for_someone_elses_result(client, alice, bob, charlie, couple, other_couple):
    attempt = make_attempt(alice, "fading-intimacy", signs(2))
    for person in (bob, charlie):
        client.force_login(person)
        assert client.post(url(attempt), {"shared": "1"}).status_code == 404
    assert Attempt.objects.get(pk=attempt.pk).shared_with is None


def test_it_sends_someone_without_a_partner_to_pair_first(client, charlie):
    attempt = make_attempt(charlie, "fading-intimacy", signs(2))
    client.force_login(charlie)
    response = client.post(url(attempt), {"shared": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("couples:couple")
    assert Attempt.objects.get(pk=attempt.pk).shared_with is None


def test_it_refuses_get(alice_client, alice, couple):
    assert alice_client.get(url(make_attempt(alice, "fading-intimacy", signs(2)))).status_code == 405


def test_it_shares_one_result_at_a_time_so_stopping_leaves_none_shared(alice_client, alice, bob, couple):
    make_attempt(bob, "fading-intimacy", signs(5), shared_with=couple)
    older = make_attempt(alice, "fading-intimacy", signs(1), when=timezone.now() - timedelta(days=30))
    newer = make_attempt(alice, "fading-intimacy", signs(3))
    alice_client.post(url(older), {"shared": "1"})
    alice_client.post(url(newer), {"shared": "1"})
    older.refresh_from_db()
    assert older.shared_with is None and older.shared_at is None
    alice_client.post(url(newer), {"shared": "0"})
    assert not Attempt.objects.filter(user=alice, shared_with__isnull=False).exists()
    client = Client()
    client.force_login(bob)
    response = client.get(reverse("assessments:compare", args=["fading-intimacy"]))
    assert response.context["theirs"] is None
    assert not Attempt.objects.visible_to(bob, couple).filter(user=alice).exists()


def test_it_compares_with_the_result_shared_not_the_newest(alice_client, alice, bob, couple):
    make_attempt(bob, "fading-intimacy", signs(5), shared_with=couple)
    shared = make_attempt(alice, "fading-intimacy", signs(1), when=timezone.now() - timedelta(days=30))
    alice_client.post(url(shared), {"shared": "1"})
    make_attempt(alice, "fading-intimacy", signs(6))  # newer, kept private
    response = alice_client.get(reverse("assessments:compare", args=["fading-intimacy"]))
    assert response.context["mine"].pk == shared.pk
