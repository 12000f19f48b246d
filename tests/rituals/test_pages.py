"""The ritual pages: list, library, add, propose and answer, pause, delete (HTTP)."""

from datetime import date, timedelta

from django.urls import reverse

from rituals.models import Reminder, Ritual, RitualState

from ..factories import at, make_ritual, text_of

INDEX = reverse("rituals:index")
LIBRARY = reverse("rituals:library")
NEW = reverse("rituals:new")

VALID = {
    "title": "Tea on the balcony",
    "instructions": "Ten quiet minutes.",
    "pillar": "play",
    "cadence": "weekdays",
    "weekdays": ["MO", "TH"],
    "interval": "2",
    "nth": "1",
    "start_time": "21:00",
    "duration_minutes": "10",
    "starts_on": "2026-06-01",
    "ends_on": "",
}


def test_it_shows_the_week_and_the_rituals(alice_client, couple):
    make_ritual(couple, title="Evening walk")
    body = text_of(alice_client.get(INDEX))
    assert "The next seven days" in body and "Evening walk" in body
    assert body.count('class="occurrence"') == 7
    assert "Every day at 19:30, for 20 minutes" in body


def test_it_explains_the_empty_state(alice_client, couple):
    assert "Pick a ritual from the library" in text_of(alice_client.get(INDEX))


def test_it_returns_the_week_fragment_to_htmx(alice_client, couple, htmx):
    make_ritual(couple)
    body = text_of(alice_client.get(INDEX, **htmx))
    assert "<html" not in body and 'id="rituals-week"' in body


def test_it_shows_another_couple_nothing_of_ours(client, charlie, other_couple, couple):
    make_ritual(couple, title="Our secret walk")
    client.force_login(charlie)
    assert "Our secret walk" not in text_of(client.get(INDEX))


def test_it_refuses_post_on_the_list(alice_client, couple):
    assert alice_client.post(INDEX).status_code == 405


def test_it_lists_the_library(alice_client, couple, htmx):
    body = text_of(alice_client.get(LIBRARY))
    assert "A 20-second hug" in body and "Five magic minutes" in body
    fragment = text_of(alice_client.get(LIBRARY, **htmx))
    assert "<html" not in fragment and 'id="ritual-library"' in fragment
    assert alice_client.post(LIBRARY).status_code == 405


def test_it_fills_the_form_from_the_library(alice_client, couple):
    body = text_of(alice_client.get(NEW + "?from=date-night"))
    assert 'value="Date night"' in body and 'value="19:30"' in body and 'value="120"' in body
    assert 'name="library_key" value="date-night"' in body


def test_it_proposes_a_ritual_from_the_library(alice_client, alice, couple):
    data = {**VALID, "title": "Date night", "cadence": "weekly", "weekdays": ["FR"], "library_key": "date-night"}
    response = alice_client.post(NEW, data)
    ritual = Ritual.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("rituals:detail", args=[ritual.pk])
    assert ritual.state == RitualState.PROPOSED and ritual.proposed_by == alice
    assert ritual.library_key == "date-night" and ritual.rrule == "FREQ=WEEKLY;BYDAY=FR"


def test_it_proposes_a_custom_ritual_through_htmx(alice_client, couple, htmx):
    response = alice_client.post(NEW, VALID, **htmx)
    ritual = Ritual.objects.get()
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("rituals:detail", args=[ritual.pk])
    assert ritual.rrule == "FREQ=WEEKLY;BYDAY=MO,TH" and ritual.library_key == ""


def _refused(client, changes: dict, message: str, **headers) -> str:
    response = client.post(NEW, {**VALID, **changes}, **headers)
    assert response.status_code == 422
    body = text_of(response)
    assert message in body
    assert 'value="Tea on the balcony"' in body  # what was typed is kept
    assert not Ritual.objects.exists()
    return body


def test_it_refuses_an_end_before_the_start(alice_client, couple):
    _refused(alice_client, {"ends_on": "2026-05-01"}, "The end date is before the start date")


def test_it_refuses_an_unknown_weekday(alice_client, couple):
    _refused(alice_client, {"weekdays": ["MO", "XX"]}, "XX is not a day of the week")


def test_it_refuses_a_negative_duration(alice_client, couple):
    body = _refused(alice_client, {"duration_minutes": "-5"}, "A ritual takes at least a minute")
    assert 'value="-5"' in body


def test_it_refuses_an_impossible_recurrence(alice_client, couple, htmx):
    # Mondays and Thursdays only, between a Tuesday and the Wednesday after it.
    _refused(
        alice_client,
        {"starts_on": "2026-06-02", "ends_on": "2026-06-03"},
        "This schedule never happens between those dates",
        **htmx,
    )
    _refused(alice_client, {"cadence": "weekly", "weekdays": ["MO", "TU"]}, "Pick exactly one day")
    _refused(
        alice_client, {"cadence": "every_n_weeks", "weekdays": ["MO"], "interval": "1"}, "Every 2 weeks is the least"
    )


def test_it_lets_the_partner_accept(client, bob, alice, couple):
    ritual = make_ritual(couple, state=RitualState.PROPOSED, proposed_by=alice)
    client.force_login(bob)
    page = text_of(client.get(reverse("rituals:detail", args=[ritual.pk])))
    assert "Alice would like to make this one of your rituals" in page
    response = client.post(reverse("rituals:accept", args=[ritual.pk]))
    assert response.status_code == 302
    ritual.refresh_from_db()
    assert ritual.state == RitualState.ACTIVE
    assert Reminder.objects.filter(ritual=ritual, remind_at__isnull=False).count() == 2


def test_it_does_not_let_the_proposer_accept(alice_client, alice, couple):
    ritual = make_ritual(couple, state=RitualState.PROPOSED, proposed_by=alice)
    assert "Waiting for Bob" in text_of(alice_client.get(reverse("rituals:detail", args=[ritual.pk])))
    alice_client.post(reverse("rituals:accept", args=[ritual.pk]))
    ritual.refresh_from_db()
    assert ritual.state == RitualState.PROPOSED


def test_it_declines_with_a_note_through_htmx(client, bob, alice, couple, htmx):
    ritual = make_ritual(couple, state=RitualState.PROPOSED, proposed_by=alice)
    client.force_login(bob)
    response = client.post(reverse("rituals:decline", args=[ritual.pk]), {"note": "Maybe in spring"}, **htmx)
    body = text_of(response)
    assert response.status_code == 200 and "<html" not in body and "Maybe in spring" in body
    ritual.refresh_from_db()
    assert ritual.state == RitualState.DECLINED and ritual.decline_note == "Maybe in spring"


def test_it_keeps_a_too_long_decline_note(client, bob, alice, couple):
    ritual = make_ritual(couple, state=RitualState.PROPOSED, proposed_by=alice)
    client.force_login(bob)
    response = client.post(reverse("rituals:decline", args=[ritual.pk]), {"note": "n" * 301})
    assert response.status_code == 422 and "Keep the note under 300" in text_of(response)
    ritual.refresh_from_db()
    assert ritual.state == RitualState.PROPOSED


def test_it_pauses_resumes_edits_and_deletes(alice_client, couple, htmx):
    ritual = make_ritual(couple)
    alice_client.post(reverse("rituals:pause", args=[ritual.pk]))
    ritual.refresh_from_db()
    assert ritual.state == RitualState.PAUSED
    body = text_of(alice_client.post(reverse("rituals:resume", args=[ritual.pk]), **htmx))
    assert "<html" not in body and 'id="ritual-card"' in body
    ritual.refresh_from_db()
    assert ritual.state == RitualState.ACTIVE
    edit = reverse("rituals:edit", args=[ritual.pk])
    assert 'value="Evening walk"' in text_of(alice_client.get(edit))
    alice_client.post(edit, {**VALID, "title": "Morning walk", "cadence": "daily", "weekdays": []})
    ritual.refresh_from_db()
    assert ritual.title == "Morning walk" and ritual.rrule == "FREQ=DAILY"
    alice_client.post(reverse("rituals:delete", args=[ritual.pk]))
    assert not Ritual.objects.exists()


def test_it_keeps_an_edit_with_bad_input(alice_client, couple):
    ritual = make_ritual(couple)
    response = alice_client.post(reverse("rituals:edit", args=[ritual.pk]), {**VALID, "duration_minutes": "0"})
    assert response.status_code == 422 and "A ritual takes at least a minute" in text_of(response)
    ritual.refresh_from_db()
    assert ritual.title == "Evening walk"


def test_it_sets_each_persons_reminder(alice_client, alice, couple):
    ritual = make_ritual(couple)
    alice_client.post(reverse("rituals:reminder", args=[ritual.pk]), {"minutes_before": "60"})
    mine = Reminder.objects.get(ritual=ritual, user=alice)
    assert mine.occurrence_at and mine.remind_at
    assert mine.minutes_before == 60 and mine.occurrence_at - mine.remind_at == timedelta(hours=1)
    assert Reminder.objects.exclude(user=alice).get(ritual=ritual).minutes_before == 15
    alice_client.post(reverse("rituals:reminder", args=[ritual.pk]), {"minutes_before": ""})
    mine.refresh_from_db()
    assert mine.minutes_before is None and mine.remind_at is None
    response = alice_client.post(reverse("rituals:reminder", args=[ritual.pk]), {"minutes_before": "7"})
    assert response.status_code == 422


def test_it_gives_outsiders_404_on_every_ritual_url(client, charlie, other_couple, couple):
    ritual = make_ritual(couple)
    key = ritual.occurrences_between(at(2026, 6, 1), at(2026, 6, 2))[0].key
    client.force_login(charlie)
    for name in ("detail", "edit"):
        assert client.get(reverse(f"rituals:{name}", args=[ritual.pk])).status_code == 404
    for name in ("accept", "decline", "pause", "resume", "delete", "reminder", "edit"):
        assert client.post(reverse(f"rituals:{name}", args=[ritual.pk])).status_code == 404
    assert client.get(reverse("rituals:occurrence", args=[ritual.pk, key])).status_code == 404
    for name in ("mark", "rate"):
        assert client.post(reverse(f"rituals:{name}", args=[ritual.pk, key]), {"outcome": "done"}).status_code == 404
    ritual.refresh_from_db()
    assert ritual.state == RitualState.ACTIVE and not ritual.completions.exists()


def test_it_refuses_the_wrong_methods(alice_client, couple):
    ritual = make_ritual(couple)
    assert alice_client.post(reverse("rituals:detail", args=[ritual.pk])).status_code == 405
    for name in ("accept", "decline", "pause", "resume", "delete", "reminder"):
        assert alice_client.get(reverse(f"rituals:{name}", args=[ritual.pk])).status_code == 405
    assert alice_client.delete(NEW).status_code == 405


def test_it_sends_unpaired_people_to_the_couple_page(client, charlie):
    client.force_login(charlie)
    response = client.get(INDEX)
    assert response.status_code == 302 and response["Location"] == reverse("couples:couple")


def test_it_refuses_dates_far_from_today_with_a_message(alice_client, couple):
    for field, value in [("starts_on", "9999-12-31"), ("starts_on", "0001-01-01"), ("ends_on", "9999-12-31")]:
        body = _refused(alice_client, {field: value}, "Pick a date between")
        assert f'value="{value}"' in body
    ritual = make_ritual(couple)
    edit = reverse("rituals:edit", args=[ritual.pk])
    for value in ("9999-12-31", "0001-01-01"):
        response = alice_client.post(edit, {**VALID, "starts_on": value})
        assert response.status_code == 422 and "Pick a date between" in text_of(response)
    ritual.refresh_from_db()
    assert ritual.title == "Evening walk"


def test_it_lets_an_old_ritual_be_edited_with_its_own_start_date(alice_client, couple):
    ritual = make_ritual(couple, starts_on=date(2019, 3, 1))
    edit = reverse("rituals:edit", args=[ritual.pk])
    response = alice_client.post(edit, {**VALID, "title": "Still walking", "starts_on": "2019-03-01"})
    assert response.status_code == 302
    ritual.refresh_from_db()
    assert ritual.title == "Still walking" and ritual.starts_on == date(2019, 3, 1)
    response = alice_client.post(edit, {**VALID, "starts_on": "2019-03-02"})
    assert response.status_code == 422 and "Pick a date between" in text_of(response)


def test_it_sends_a_partners_edit_of_a_proposal_back_for_a_yes(client, alice, bob, couple):
    ritual = make_ritual(couple, state=RitualState.PROPOSED, proposed_by=alice)
    client.force_login(bob)
    response = client.post(reverse("rituals:edit", args=[ritual.pk]), {**VALID, "start_time": "07:00"}, follow=True)
    assert "Saved. It starts once Alice says yes." in text_of(response)
    assert client.post(reverse("rituals:accept", args=[ritual.pk])).status_code == 302
    ritual.refresh_from_db()
    assert ritual.state == RitualState.PROPOSED and ritual.proposed_by == bob
