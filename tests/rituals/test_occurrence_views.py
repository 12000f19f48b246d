"""Marking an occurrence done or skipped, rating closeness, /today/, four weeks, guides."""

from datetime import timedelta

import pytest
from django.forms import ChoiceField
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rituals import services
from rituals.forms import MarkForm
from rituals.models import Completion, Guide, Outcome, Rating

from ..factories import make_ritual, text_of


@pytest.fixture
def bob_client(bob) -> Client:
    client = Client()
    client.force_login(bob)
    return client


@pytest.fixture
def walk(couple):
    return make_ritual(couple, title="Evening walk")


def todays(ritual):
    now = timezone.now()
    start = now - timedelta(hours=now.astimezone(ritual.couple.zone).hour + 1)
    found = [o for o in ritual.occurrences_between(start, start + timedelta(days=2)) if o.is_markable]
    return found[-1]


def urls(occurrence) -> dict[str, str]:
    args = [occurrence.ritual.pk, occurrence.key]
    return {name: reverse(f"rituals:{name}", args=args) for name in ("occurrence", "mark", "rate")}


def test_it_marks_done_and_both_partners_see_it(alice_client, bob_client, walk, htmx):
    occurrence = todays(walk)
    url = urls(occurrence)
    response = alice_client.post(url["mark"], {"outcome": "done"}, **htmx)
    body = text_of(response)
    assert response.status_code == 200 and "<html" not in body and "Done" in body and "How close" in body
    assert Completion.objects.get().outcome == "done"
    assert "Done together." in text_of(bob_client.get(url["occurrence"]))
    assert "Done" in text_of(bob_client.get(reverse("rituals:index")))


def test_it_skips_without_penalty(alice_client, walk):
    url = urls(todays(walk))
    response = alice_client.post(url["mark"], {"outcome": "skipped"})
    assert response.status_code == 302
    body = text_of(alice_client.get(url["occurrence"]))
    assert "Skipped this time. That is all right." in body
    assert "missed" not in body.lower() and "streak" not in body.lower()


def test_it_refuses_marking_days_ahead_or_nonsense(alice_client, walk):
    later = walk.occurrences_between(timezone.now() + timedelta(days=3), timezone.now() + timedelta(days=4))[0]
    assert alice_client.post(urls(later)["mark"], {"outcome": "done"}).status_code == 302
    assert not Completion.objects.exists()
    assert (
        alice_client.post(urls(todays(walk))["mark"], {"outcome": "forgotten"}, HTTP_HX_REQUEST="true").status_code
        == 422
    )
    assert not Completion.objects.exists()
    assert alice_client.get(reverse("rituals:occurrence", args=[walk.pk, "20260101T000000Z"])).status_code == 404
    assert alice_client.get(reverse("rituals:occurrence", args=[walk.pk, "garbage"])).status_code == 404


def test_it_hides_a_rating_until_both_rated_then_shows_both(alice_client, bob_client, bob, walk, htmx):
    occurrence = todays(walk)
    url = urls(occurrence)
    services.mark_occurrence(ritual=walk, occurs_at=occurrence.starts_at, user=bob, outcome="done")
    bob_client.post(url["rate"], {"score": "2"})
    body = text_of(alice_client.get(url["occurrence"]))
    assert "How close did you feel?" in body and "2 of 5" not in body
    response = alice_client.post(url["rate"], {"score": "5"}, **htmx)
    body = text_of(response)
    assert "<html" not in body and 'class="reveal closeness"' in body
    assert body.index("5 of 5") < body.index("2 of 5")  # mine first
    assert "2 of 5" in text_of(bob_client.get(url["occurrence"]))


def test_it_refuses_a_new_rating_after_the_reveal_with_a_message(alice_client, bob_client, bob, walk):
    occurrence = todays(walk)
    url = urls(occurrence)
    services.mark_occurrence(ritual=walk, occurs_at=occurrence.starts_at, user=bob, outcome="done")
    bob_client.post(url["rate"], {"score": "2"})
    alice_client.post(url["rate"], {"score": "5"})
    response = alice_client.post(url["rate"], {"score": "1"})
    body = text_of(response)
    assert response.status_code == 422 and "You have both rated this one" in body
    assert "5 of 5" in body and "2 of 5" in body
    assert set(Rating.objects.values_list("score", flat=True)) == {2, 5}


def test_it_refuses_skipping_a_rated_occurrence_with_a_message(alice_client, bob_client, walk, htmx):
    occurrence = todays(walk)
    url = urls(occurrence)
    alice_client.post(url["mark"], {"outcome": "done"})
    bob_client.post(url["rate"], {"score": "4"})
    response = alice_client.post(url["mark"], {"outcome": "skipped"}, **htmx)
    assert response.status_code == 422 and "Done" in text_of(response)
    assert Completion.objects.get().outcome == "done" and Rating.objects.count() == 1


def test_it_keeps_the_form_on_a_bad_rating(alice_client, walk):
    occurrence = todays(walk)
    url = urls(occurrence)
    alice_client.post(url["rate"], {"score": "3"})
    assert not Rating.objects.exists()  # not done yet
    services.mark_occurrence(ritual=walk, occurs_at=occurrence.starts_at, user=None, outcome="done")
    response = alice_client.post(url["rate"], {"score": "9"})
    assert response.status_code == 422 and "Select a valid choice" in text_of(response)
    assert not Rating.objects.exists()


def test_it_refuses_get_on_writes(alice_client, walk):
    url = urls(todays(walk))
    assert alice_client.get(url["mark"]).status_code == 405
    assert alice_client.get(url["rate"]).status_code == 405
    assert alice_client.post(url["occurrence"]).status_code == 405


def test_it_shows_todays_rituals_on_today(alice_client, walk, library):
    body = text_of(alice_client.get(reverse("prompts:today")))
    assert "Today's rituals" in body and "Evening walk" in body
    fragment = text_of(alice_client.post(reverse("prompts:today"), {"text": ""}, HTTP_HX_REQUEST="true"))
    assert "Today's rituals" not in fragment


def test_it_shows_four_kind_weeks(alice_client, alice, walk, htmx):
    occurrence = todays(walk)
    services.mark_occurrence(ritual=walk, occurs_at=occurrence.starts_at, user=alice, outcome="done")
    url = reverse("rituals:summary")
    body = text_of(alice_client.get(url))
    assert "Evening walk" in body and "You made time for it once." in body
    assert body.count("a quiet week") == 3 and ": together once" in body
    assert "0 of" not in body and "missed" not in body.lower()
    assert 'id="four-weeks"' in text_of(alice_client.get(url, **htmx))
    assert alice_client.post(url).status_code == 405


def test_it_offers_every_guided_page(alice_client, couple, htmx):
    index = text_of(alice_client.get(reverse("rituals:guides")))
    for slug in Guide.values:
        url = reverse("rituals:guide", args=[slug])
        assert url in index
        page = text_of(alice_client.get(url))
        assert "js/rituals.js" in page and "<script>" not in page
        assert "<html" not in text_of(alice_client.get(url, **htmx))
    assert 'data-seconds="1200"' in text_of(alice_client.get(reverse("rituals:guide", args=["repair"])))
    assert alice_client.get(reverse("rituals:guide", args=["nothing"])).status_code == 404
    assert alice_client.post(reverse("rituals:guides")).status_code == 405


def test_it_returns_fragments_to_htmx(alice_client, walk, htmx):
    occurrence = todays(walk)
    for url, marker in (
        (reverse("rituals:detail", args=[walk.pk]), 'id="ritual-card"'),
        (reverse("rituals:edit", args=[walk.pk]), 'id="ritual-form"'),
        (urls(occurrence)["occurrence"], 'id="occurrence-card"'),
    ):
        body = text_of(alice_client.get(url, **htmx))
        assert "<html" not in body and marker in body
        assert "<html" in text_of(alice_client.get(url))


def test_it_gives_404_for_an_occurrence_at_the_edge_of_time(alice_client, walk):
    for key in ("99991231T235959Z", "00010101T000000Z", "18991231T190000Z"):
        for name in ("occurrence", "mark", "rate"):
            url = reverse(f"rituals:{name}", args=[walk.pk, key])
            response = alice_client.get(url) if name == "occurrence" else alice_client.post(url, {"outcome": "done"})
            assert response.status_code == 404, (name, key)


def test_it_offers_the_outcomes_as_their_choices():
    field = MarkForm().fields["outcome"]
    assert isinstance(field, ChoiceField) and field.choices == Outcome.choices
    assert not MarkForm({"outcome": "missed"}).is_valid()
