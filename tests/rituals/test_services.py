"""Proposal and acceptance, marking occurrences, the closeness reveal (no HTTP)."""

from datetime import date, time

import pytest

from rituals import services
from rituals.models import Completion, Outcome, Rating, Reminder, Ritual, RitualState

from ..factories import at, make_ritual

FIELDS = {
    "title": "Sunday breakfast",
    "instructions": "",
    "pillar": "shared_meaning",
    "rrule": "FREQ=WEEKLY;BYDAY=SU",
    "start_time": time(9, 30),
    "duration_minutes": 45,
    "starts_on": date(2026, 6, 1),
    "ends_on": None,
}


def test_it_makes_a_proposal_that_only_the_partner_can_accept(alice, bob, couple):
    ritual = services.propose_ritual(couple=couple, user=alice, fields=FIELDS)
    assert ritual.state == RitualState.PROPOSED
    with pytest.raises(services.NotAllowed):
        services.accept_ritual(ritual=ritual, user=alice)
    services.accept_ritual(ritual=ritual, user=bob, now=at(2026, 6, 1))
    ritual.refresh_from_db()
    assert ritual.state == RitualState.ACTIVE
    # Both partners now have a reminder for the first Sunday, 15 minutes before.
    reminders = Reminder.objects.filter(ritual=ritual)
    assert {reminder.user_id for reminder in reminders} == {alice.pk, bob.pk}
    assert {reminder.remind_at for reminder in reminders} == {at(2026, 6, 7, 8, 15)}


def test_it_accepts_once_when_both_answers_cross(alice, bob, couple):
    ritual = services.propose_ritual(couple=couple, user=alice, fields=FIELDS)
    stale = Ritual.objects.get(pk=ritual.pk)
    services.decline_ritual(ritual=ritual, user=bob, note="Sundays are for sleeping in")
    with pytest.raises(services.NotAllowed):
        services.accept_ritual(ritual=stale, user=bob)
    ritual.refresh_from_db()
    assert ritual.state == RitualState.DECLINED
    assert ritual.decline_note == "Sundays are for sleeping in"
    assert not Reminder.objects.filter(ritual=ritual, remind_at__isnull=False).exists()


def test_it_turns_a_declined_ritual_into_a_new_proposal_when_changed(alice, bob, couple):
    ritual = services.propose_ritual(couple=couple, user=alice, fields=FIELDS)
    services.decline_ritual(ritual=ritual, user=bob, note="too early")
    services.update_ritual(ritual=ritual, user=bob, fields={"start_time": time(11)})
    ritual.refresh_from_db()
    assert ritual.state == RitualState.PROPOSED and ritual.proposed_by == bob and ritual.decline_note == ""
    assert ritual.awaits_answer_from(alice) and not ritual.awaits_answer_from(bob)


def test_it_keeps_the_partners_pause_when_an_edit_from_an_older_form_lands(alice, bob, couple):
    ritual = make_ritual(couple)
    opened_by_alice = Ritual.objects.get(pk=ritual.pk)  # read before bob pauses
    opened_by_alice.couple = couple
    services.pause_ritual(ritual=ritual, now=at(2026, 6, 1, 12))
    services.update_ritual(ritual=opened_by_alice, user=alice, fields={"title": "Night walk"}, now=at(2026, 6, 1, 13))
    ritual.refresh_from_db()
    assert ritual.title == "Night walk" and ritual.state == RitualState.PAUSED
    assert not Reminder.objects.filter(ritual=ritual, remind_at__isnull=False).exists()


def test_it_keeps_the_partners_accept_when_an_edit_from_an_older_form_lands(alice, bob, couple):
    ritual = services.propose_ritual(couple=couple, user=alice, fields=FIELDS)
    opened_by_alice = Ritual.objects.get(pk=ritual.pk)
    opened_by_alice.couple = couple
    services.accept_ritual(ritual=ritual, user=bob, now=at(2026, 6, 1))
    services.update_ritual(ritual=opened_by_alice, user=alice, fields={"title": "Brunch"}, now=at(2026, 6, 1, 1))
    ritual.refresh_from_db()
    assert ritual.title == "Brunch" and ritual.state == RitualState.ACTIVE


def test_it_makes_the_partner_who_edits_a_proposal_its_proposer(alice, bob, couple):
    ritual = services.propose_ritual(couple=couple, user=alice, fields=FIELDS)
    services.update_ritual(ritual=ritual, user=bob, fields={"start_time": time(11)})
    ritual.refresh_from_db()
    assert ritual.state == RitualState.PROPOSED and ritual.proposed_by == bob
    with pytest.raises(services.NotAllowed):
        services.accept_ritual(ritual=ritual, user=bob)
    services.accept_ritual(ritual=ritual, user=alice)
    ritual.refresh_from_db()
    assert ritual.state == RitualState.ACTIVE and ritual.start_time == time(11)


def test_it_keeps_the_proposer_when_they_edit_their_own_proposal(alice, bob, couple):
    ritual = services.propose_ritual(couple=couple, user=alice, fields=FIELDS)
    services.update_ritual(ritual=ritual, user=alice, fields={"start_time": time(11)})
    ritual.refresh_from_db()
    assert ritual.state == RitualState.PROPOSED and ritual.proposed_by == alice and ritual.awaits_answer_from(bob)


def test_it_stops_and_restarts_reminders_on_pause_and_resume(alice, bob, couple):
    ritual = make_ritual(couple)
    assert Reminder.objects.filter(ritual=ritual, remind_at__isnull=False).count() == 2
    services.pause_ritual(ritual=ritual)
    assert Reminder.objects.filter(ritual=ritual, remind_at__isnull=False).count() == 0
    with pytest.raises(services.NotAllowed):
        services.pause_ritual(ritual=ritual)
    services.resume_ritual(ritual=ritual)
    assert Reminder.objects.filter(ritual=ritual, remind_at__isnull=False).count() == 2


def test_it_keeps_one_completion_whoever_marks_it(alice, bob, couple):
    ritual = make_ritual(couple)
    moment = at(2026, 6, 1, 18, 30)
    services.mark_occurrence(ritual=ritual, occurs_at=moment, user=alice, outcome=Outcome.SKIPPED)
    services.mark_occurrence(ritual=ritual, occurs_at=moment, user=bob, outcome=Outcome.DONE)
    services.mark_occurrence(ritual=ritual, occurs_at=moment, user=alice, outcome=Outcome.DONE)
    completion = Completion.objects.get()
    assert completion.outcome == Outcome.DONE and completion.marked_by == alice


def test_it_hides_the_partners_rating_until_both_have_rated(alice, bob, couple):
    ritual = make_ritual(couple)
    completion = services.mark_occurrence(ritual=ritual, occurs_at=at(2026, 6, 1, 18, 30), user=alice, outcome="done")
    services.rate_closeness(completion=completion, user=bob, score=2)
    assert completion.ratings_visible_to(alice) == (None, None)
    mine, theirs = completion.ratings_visible_to(bob)
    assert mine is not None and mine.score == 2 and theirs is None
    services.rate_closeness(completion=completion, user=alice, score=5)
    mine, theirs = completion.ratings_visible_to(alice)
    assert (mine.score, theirs.score) == (5, 2)  # type: ignore[union-attr]
    assert Rating.objects.filter(completion=completion).count() == 2


def test_it_lets_a_rating_change_until_the_partner_rates_then_keeps_the_reveal(alice, bob, couple):
    ritual = make_ritual(couple)
    completion = services.mark_occurrence(ritual=ritual, occurs_at=at(2026, 6, 1, 18, 30), user=alice, outcome="done")
    services.rate_closeness(completion=completion, user=alice, score=2)
    services.rate_closeness(completion=completion, user=alice, score=3)  # bob has not seen it
    services.rate_closeness(completion=completion, user=bob, score=5)
    for person in (alice, bob):
        with pytest.raises(services.NotAllowed):
            services.rate_closeness(completion=completion, user=person, score=1)
    assert dict(Rating.objects.values_list("user_id", "score")) == {alice.pk: 3, bob.pk: 5}


def test_it_refuses_to_skip_an_occurrence_once_rated(alice, bob, couple):
    ritual = make_ritual(couple)
    moment = at(2026, 6, 1, 18, 30)
    completion = services.mark_occurrence(ritual=ritual, occurs_at=moment, user=alice, outcome="done")
    services.rate_closeness(completion=completion, user=bob, score=4)
    with pytest.raises(services.NotAllowed):
        services.mark_occurrence(ritual=ritual, occurs_at=moment, user=alice, outcome=Outcome.SKIPPED)
    assert Completion.objects.get().outcome == Outcome.DONE and Rating.objects.count() == 1
    services.mark_occurrence(ritual=ritual, occurs_at=moment, user=alice, outcome=Outcome.DONE)  # still fine


def test_it_refuses_ratings_for_a_skipped_occurrence_or_out_of_range(alice, bob, couple):
    ritual = make_ritual(couple)
    skipped = services.mark_occurrence(ritual=ritual, occurs_at=at(2026, 6, 1, 18, 30), user=alice, outcome="skipped")
    with pytest.raises(services.NotAllowed):
        services.rate_closeness(completion=skipped, user=alice, score=3)
    done = services.mark_occurrence(ritual=ritual, occurs_at=at(2026, 6, 2, 18, 30), user=alice, outcome="done")
    with pytest.raises(services.NotAllowed):
        services.rate_closeness(completion=done, user=alice, score=6)
    assert not Rating.objects.exists()


def test_it_revokes_the_old_feed_token(alice):
    first = services.regenerate_feed_token(user=alice).token
    second = services.regenerate_feed_token(user=alice).token
    assert first != second


def test_it_finds_todays_occurrences_in_two_queries_at_most(alice, bob, couple, django_assert_num_queries):
    walk = make_ritual(couple, title="Walk")
    make_ritual(couple, title="Weekly", rrule="FREQ=WEEKLY;BYDAY=MO")  # 2026-06-02 is a Tuesday
    make_ritual(couple, title="Paused", state=RitualState.PAUSED)
    services.mark_occurrence(ritual=walk, occurs_at=at(2026, 6, 2, 18, 30), user=alice, outcome="done")
    with django_assert_num_queries(1):  # the rituals only: none has started yet on that day
        assert Ritual.objects.occurring_on(couple, date(2025, 12, 31)) == []
    with django_assert_num_queries(1):  # the rituals come from the cache now; the day's outcomes
        found = Ritual.objects.occurring_on(couple, date(2026, 6, 2))
    assert [(occurrence.ritual.title, occurrence.starts_at, occurrence.outcome) for occurrence in found] == [
        ("Walk", at(2026, 6, 2, 18, 30), "done")
    ]


def test_it_keeps_each_occurrences_own_outcome_when_a_rule_falls_twice_a_day(alice, couple, django_assert_num_queries):
    # No cadence we offer does this, but a rule is an RRULE: outcomes are keyed by
    # (ritual, instant), not by ritual.
    ritual = make_ritual(couple, title="Stretch", rrule="FREQ=DAILY;BYHOUR=8,19;BYMINUTE=30")
    services.mark_occurrence(ritual=ritual, occurs_at=at(2026, 6, 2, 7, 30), user=alice, outcome="done")
    with django_assert_num_queries(2):  # the rituals (none cached yet), and the day's outcomes
        found = Ritual.objects.occurring_on(couple, date(2026, 6, 2))
    assert [(occurrence.starts_at, occurrence.outcome) for occurrence in found] == [
        (at(2026, 6, 2, 7, 30), "done"),
        (at(2026, 6, 2, 18, 30), None),
    ]


def test_it_reads_a_couples_rituals_again_after_any_change(alice, bob, couple, django_assert_num_queries):
    # The active rituals are cached for /today/: each way a ritual changes must show at once.
    day = date(2026, 6, 2)

    def titles() -> list[str]:
        return [occurrence.ritual.title for occurrence in Ritual.objects.occurring_on(couple, day)]

    walk = make_ritual(couple, title="Walk")
    assert titles() == ["Walk"]
    with django_assert_num_queries(1):  # the day's outcomes only
        titles()
    services.pause_ritual(ritual=walk, now=at(2026, 6, 1, 9, 0))  # a conditional UPDATE
    assert titles() == []
    services.resume_ritual(ritual=walk, now=at(2026, 6, 1, 9, 0))
    assert titles() == ["Walk"]
    walk.title = "Long walk"
    walk.save()  # the admin's way
    assert titles() == ["Long walk"]
    tea_fields = FIELDS | {"title": "Tea", "rrule": "FREQ=DAILY", "starts_on": date(2026, 1, 1)}
    tea = services.propose_ritual(couple=couple, user=alice, fields=tea_fields)
    services.accept_ritual(ritual=tea, user=bob)
    assert sorted(titles()) == ["Long walk", "Tea"]
    services.delete_ritual(ritual=walk)
    assert titles() == ["Tea"]
