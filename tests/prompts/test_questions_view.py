"""/questions/: the couple's choice of families and depth for their daily question."""

import re

from django.urls import reverse

from prompts.models import Depth, Family, PromptPreferences

from ..factories import text_of

URL = reverse("prompts:questions")


def test_it_shows_the_choices(alice_client, couple):
    response = alice_client.get(URL)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" in body and "Your questions" in body
    assert "Light questions only" in body and str(Family.STRESS_MAP.label) in body


def test_it_saves_for_both_partners(alice_client, client, bob, couple):
    response = alice_client.post(URL, {"excluded_families": ["needs", "growth"], "deepest": "deeper"})
    assert response.status_code == 302
    saved = PromptPreferences.objects.get(couple=couple)
    assert (saved.excluded_families, saved.deepest) == (["growth", "needs"], Depth.DEEPER)
    client.force_login(bob)
    body = text_of(client.get(URL))
    assert re.search(r'value="needs"[^>]*checked', body) and not re.search(r'value="curiosity"[^>]*checked', body)
    assert 'value="curiosity"' in body


def test_it_answers_htmx_with_the_form_and_saved_in_place(alice_client, couple, htmx):
    response = alice_client.post(URL, {"excluded_families": [], "deepest": "light"}, **htmx)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" not in body and 'id="questions-form"' in body and "Saved." in body
    assert PromptPreferences.objects.get(couple=couple).deepest == Depth.LIGHT


def test_it_refuses_leaving_too_few_kinds_and_keeps_the_choice(alice_client, couple):
    excluded = Family.values[:-2]  # two families left
    response = alice_client.post(URL, {"excluded_families": excluded, "deepest": "light"})
    assert response.status_code == 422
    body = text_of(response)
    assert "Keep at least 3 kinds of question" in body
    assert body.count("checked") >= len(excluded)  # what they ticked is still ticked
    assert not PromptPreferences.objects.exists()


def test_it_refuses_an_unknown_family_or_depth(alice_client, couple):
    assert alice_client.post(URL, {"excluded_families": ["gossip"], "deepest": "light"}).status_code == 422
    assert alice_client.post(URL, {"excluded_families": [], "deepest": "bottomless"}).status_code == 422
    assert not PromptPreferences.objects.exists()


def test_it_refuses_other_methods(alice_client, couple):
    assert alice_client.put(URL).status_code == 405


def test_it_sends_someone_without_a_partner_to_pairing(client, charlie):
    client.force_login(charlie)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("couples:couple")


def test_it_changes_only_the_own_couple(alice_client, couple, other_couple):
    alice_client.post(URL, {"excluded_families": ["needs"], "deepest": "light"})
    assert list(PromptPreferences.objects.values_list("couple_id", flat=True)) == [couple.pk]
