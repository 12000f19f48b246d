"""The sweep at scale: a fixed number of queries per batch, and concurrent sweeps on
PostgreSQL that neither send twice nor lose anyone (issue 5, part 2)."""

from functools import partial

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from notifications import delivery
from notifications.models import SendLog

from ..factories import at, make_couples
from ..queries import split_sent_marks
from ..races import TRIALS, Tally, race

EVENING = at(2026, 11, 21, 20)


def make_due_couples(count: int, prefix: str) -> list[int]:
    ids = [user.pk for user in make_couples(count, prefix)]
    User.objects.filter(pk__in=ids).update(next_reminder_at=EVENING)
    return ids


def queries_for_a_sweep(clock) -> tuple[int, int]:
    """(statements other than the per-message sent marks, sent marks) of one sweep, its
    delivery included (Celery runs eagerly here)."""
    clock.set(EVENING)
    with CaptureQueriesContext(connection) as queries:
        delivery.sweep_reminders(now=EVENING)
    return split_sent_marks(queries.captured_queries)


def test_it_issues_the_same_queries_for_ten_due_users_as_for_two_hundred(db, library, clock, settings):
    """Constant but for one mark per message sent: a worker killed mid-task then sends
    again at most the message it was sending (tests/trust/test_worker_killed.py)."""
    settings.SWEEP_BATCH = 1000
    settings.NOTICE_DELIVERY_CHUNK = 1000
    make_due_couples(5, "small")
    few, few_marks = queries_for_a_sweep(clock)
    assert len(mail.outbox) == few_marks == 10
    SendLog.objects.all().delete()
    User.objects.all().delete()
    mail.outbox.clear()
    make_due_couples(100, "large")
    many, many_marks = queries_for_a_sweep(clock)
    assert len(mail.outbox) == many_marks == 200
    assert few == many, (few, many)


def test_it_takes_due_users_in_batches(db, library, clock, settings):
    settings.SWEEP_BATCH = 7
    ids = make_due_couples(10, "batch")
    clock.set(EVENING)
    delivery.sweep_reminders(now=EVENING)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        User.objects.filter(pk__in=ids).values_list("email", flat=True)
    )
    assert not User.objects.filter(next_reminder_at__lte=EVENING).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_concurrent_sweeps_share_the_work_without_doubles_or_losses(library, settings):
    settings.SWEEP_BATCH = 25
    settings.NOTICE_DELIVERY_CHUNK = 10
    reminders = Tally("concurrent sweeps (reminders)")
    for round_ in range(TRIALS):
        mail.outbox.clear()
        ids = make_due_couples(15, f"r{round_}")
        # The delivery tasks run eagerly in each sweeping thread and read the real
        # clock (no fake clock across threads): sweep at the real time.
        real = timezone.now()
        User.objects.filter(pk__in=ids).update(next_reminder_at=real)
        results = race(partial(delivery.sweep_reminders, now=real), partial(delivery.sweep_reminders, now=real))
        assert not [r for r in results if isinstance(r, Exception)], results
        recipients = [m.to[0] for m in mail.outbox]
        expected = set(User.objects.filter(pk__in=ids).values_list("email", flat=True))
        reminders.record(lost=len(expected - set(recipients)), doubled=len(recipients) - len(set(recipients)))
        assert set(recipients) == expected
        assert SendLog.objects.filter(user_id__in=ids, sent_at__isnull=False).count() == len(ids)
        assert not User.objects.filter(pk__in=ids, next_reminder_at__lte=real).exists()
    reminders.assert_clean()


def test_it_keeps_no_index_on_the_send_log_that_another_already_covers(db):
    """Each claim inserts a send-log row and each sent mark writes a new version of it
    into every index: an index whose columns lead another one is pure cost."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, SendLog._meta.db_table)
    indexes = [tuple(found["columns"]) for found in constraints.values() if found["index"] or found["unique"]]
    assert ("user_id", "kind", "key") in indexes
    for columns in indexes:
        covered_by = [other for other in indexes if other != columns and other[: len(columns)] == columns]
        assert not covered_by, f"the index on {columns} is covered by {covered_by}"
