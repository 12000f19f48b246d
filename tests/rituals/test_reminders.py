"""Ritual reminders: the sweep driven by a clock, once per occurrence per person."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from couples.models import Couple
from couples.services import unpair
from notifications.models import SendLog
from notifications.registry import Request
from rituals import services
from rituals.models import Reminder
from rituals.notices import NoticeKind, reminder_key, ritual_reminder_notices
from rituals.reminders import sweep_ritual_reminders

from ..factories import at, make_couple, make_ritual, make_user
from ..notifications.conftest import clock  # noqa: F401  (the clock fixture)
from ..queries import split_sent_marks

KIND = NoticeKind.RITUAL_REMINDER


@pytest.fixture
def walk(couple):
    # Every day at 19:30 London time (BST in June: 18:30 UTC).
    ritual = make_ritual(couple, starts_on=date(2026, 6, 1))
    services.reschedule_reminders(ritual=ritual, now=at(2026, 6, 1, 12))
    return ritual


def sweep(clock, moment):  # noqa: F811
    clock.set(moment)
    return sweep_ritual_reminders(now=moment)


def test_it_reminds_both_partners_fifteen_minutes_before_once(clock, walk, alice, bob):  # noqa: F811
    assert not sweep(clock, at(2026, 6, 1, 18, 14))
    sweep(clock, at(2026, 6, 1, 18, 15))
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.com", "bob@example.com"]
    assert "Evening walk at 19:30" in mail.outbox[0].subject
    assert "Walk around the block" not in mail.outbox[0].body  # a nudge, not the ritual's text
    sweep(clock, at(2026, 6, 1, 18, 16))
    sweep(clock, at(2026, 6, 1, 18, 15))  # a redelivered or repeated sweep
    assert len(mail.outbox) == 2
    assert set(SendLog.objects.values_list("kind", "key")) == {(KIND, reminder_key(walk.pk, at(2026, 6, 1, 18, 30)))}
    # Every row moved on to tomorrow.
    assert set(Reminder.objects.values_list("occurrence_at", flat=True)) == {at(2026, 6, 2, 18, 30)}
    sweep(clock, at(2026, 6, 2, 18, 15))
    assert len(mail.outbox) == 4


def test_it_uses_each_persons_own_minutes(clock, walk, alice, bob):  # noqa: F811
    services.set_reminder(ritual=walk, user=alice, minutes_before=60, now=at(2026, 6, 1, 12))
    sweep(clock, at(2026, 6, 1, 17, 30))
    assert [message.to for message in mail.outbox] == [["alice@example.com"]]
    sweep(clock, at(2026, 6, 1, 18, 15))
    assert [message.to for message in mail.outbox] == [["alice@example.com"], ["bob@example.com"]]


def test_it_never_reminds_of_a_paused_ritual(clock, walk, alice):  # noqa: F811
    services.pause_ritual(ritual=walk, now=at(2026, 6, 1, 12))
    sweep(clock, at(2026, 6, 1, 18, 15))
    assert mail.outbox == []
    # Paused after the rows were due: the notice itself says no.
    services.resume_ritual(ritual=walk, now=at(2026, 6, 1, 12))
    walk.state = "paused"
    walk.save()
    sweep(clock, at(2026, 6, 1, 18, 15))
    assert mail.outbox == [] and not SendLog.objects.filter(sent_at__isnull=False).exists()


def test_it_drops_a_reminder_for_an_occurrence_long_begun(clock, walk):  # noqa: F811
    results = sweep(clock, at(2026, 6, 1, 19, 30))
    assert mail.outbox == [] and results["dropped"] == 2
    assert set(Reminder.objects.values_list("occurrence_at", flat=True)) == {at(2026, 6, 2, 18, 30)}


@pytest.mark.parametrize("outcome", ["skipped", "done"])
def test_it_sends_no_reminder_for_an_occurrence_already_marked(clock, walk, alice, bob, outcome):  # noqa: F811
    services.mark_occurrence(ritual=walk, occurs_at=at(2026, 6, 1, 18, 30), user=bob, outcome=outcome)
    sweep(clock, at(2026, 6, 1, 18, 15))
    assert mail.outbox == []
    sweep(clock, at(2026, 6, 2, 18, 15))  # the next day's is not marked
    assert len(mail.outbox) == 2


def in_new_york(couple, alice):
    Couple.objects.filter(pk=couple.pk).update(time_zone="America/New_York")
    found = Couple.objects.current_for(alice)
    assert found is not None
    return found


def test_it_reminds_correctly_across_the_spring_forward(clock, couple, alice, bob):  # noqa: F811
    couple = in_new_york(couple, alice)
    ritual = make_ritual(couple, starts_on=date(2026, 3, 1), start_time=time(2, 30))
    services.reschedule_reminders(ritual=ritual, now=at(2026, 3, 7, 12))
    # 2026-03-08: 02:30 does not exist in New York; it happens at 03:30 EDT (07:30 UTC).
    assert set(Reminder.objects.values_list("remind_at", flat=True)) == {at(2026, 3, 8, 7, 15)}
    sweep(clock, at(2026, 3, 8, 7, 15))
    assert len(mail.outbox) == 2 and "at 03:30" in mail.outbox[0].subject
    # The next day is EDT: 02:30 is 06:30 UTC.
    assert set(Reminder.objects.values_list("occurrence_at", flat=True)) == {at(2026, 3, 9, 6, 30)}


def test_it_reminds_once_across_the_fall_back(clock, couple, alice, bob):  # noqa: F811
    couple = in_new_york(couple, alice)
    ritual = make_ritual(couple, starts_on=date(2026, 10, 1), start_time=time(1, 30))
    services.reschedule_reminders(ritual=ritual, now=at(2026, 10, 31, 12))
    # 2026-11-01: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    for minute in range(0, 24 * 60, 5):
        sweep(clock, at(2026, 11, 1, 0) + timedelta(minutes=minute))
    assert len(mail.outbox) == 2
    assert SendLog.objects.get(user=alice).key == reminder_key(ritual.pk, at(2026, 11, 1, 5, 30))


def test_it_judges_a_batch_in_three_queries(walk, alice, bob, charlie, other_couple, django_assert_num_queries):
    now = at(2026, 6, 1, 18, 15)
    good = reminder_key(walk.pk, at(2026, 6, 1, 18, 30))
    requests = [
        Request(alice, good),
        Request(bob, good),
        Request(charlie, good),  # not in this couple
        Request(alice, reminder_key(walk.pk, at(2026, 6, 1, 18, 31))),  # not an occurrence
        Request(alice, "nonsense"),
    ]
    with django_assert_num_queries(3):
        notices = ritual_reminder_notices(requests, now)
    assert sorted(notice.user.email for notice in notices) == ["alice@example.com", "bob@example.com"]
    assert ritual_reminder_notices([Request(alice, good)], at(2026, 6, 1, 18, 41)) == []


def test_it_stops_sweeping_an_unpaired_couples_reminders(clock, walk, couple):  # noqa: F811
    unpair(couple=couple, now=at(2026, 6, 1, 13))
    results = sweep(clock, at(2026, 6, 1, 18, 15))
    assert mail.outbox == [] and sum(results.values()) == 2  # dropped, once
    assert not Reminder.objects.filter(remind_at__isnull=False).exists()
    assert not sweep(clock, at(2026, 6, 2, 18, 15))


def test_it_clears_reminders_when_an_ended_couple_is_saved(walk, couple):
    assert Reminder.objects.filter(remind_at__isnull=False).count() == 2
    couple.ended_at = at(2026, 6, 1, 13)
    couple.save()
    assert not Reminder.objects.filter(remind_at__isnull=False).exists()


def test_it_moves_reminders_when_the_couple_changes_time_zone(alice_client, couple):
    ritual = make_ritual(couple)  # 19:30 London
    before = set(Reminder.objects.filter(ritual=ritual).values_list("occurrence_at", flat=True))
    alice_client.post(reverse("couples:time_zone"), {"time_zone": "Asia/Tokyo"})
    after = set(Reminder.objects.filter(ritual=ritual).values_list("occurrence_at", flat=True))
    assert len(after) == 1 and after != before
    (moment,) = after
    assert moment is not None and moment.astimezone(ZoneInfo("Asia/Tokyo")).time() == time(19, 30)


def test_it_sweeps_in_a_fixed_number_of_queries_whatever_the_count(clock, db):  # noqa: F811
    def due_couples(count: int, offset: int) -> None:
        for n in range(offset, offset + count):
            pair = make_couple(make_user(f"a{n}@example.com", f"A{n}"), make_user(f"b{n}@example.com", f"B{n}"))
            services.reschedule_reminders(ritual=make_ritual(pair, starts_on=date(2026, 6, 1)), now=at(2026, 6, 1, 12))

    counts = []
    for size, offset, day in ((2, 0, 1), (12, 100, 2)):
        Reminder.objects.update(remind_at=None)
        due_couples(size, offset)
        Reminder.objects.filter(remind_at__isnull=False).update(
            remind_at=at(2026, 6, day, 18, 15), occurrence_at=at(2026, 6, day, 18, 30)
        )
        with CaptureQueriesContext(connection) as queries:
            sweep(clock, at(2026, 6, day, 18, 15))
        counts.append(split_sent_marks(queries.captured_queries))
    assert len(mail.outbox) == 2 * 2 + 12 * 2
    (few, few_marks), (many, many_marks) = counts
    assert (few_marks, many_marks) == (2 * 2, 12 * 2)  # one per message sent
    assert few == many, counts
