"""The ritual reminder sweep, once a minute from beat (rituals.tasks).

Each partner's reminder for each ritual is a row (models.Reminder) with an indexed
`remind_at`. A sweep takes due rows in batches (SKIP LOCKED, so sweeps running at once
take different rows), moves each on to the ritual's following occurrence, and hands
the ones still on time to notifications.delivery (claim_notices, then enqueue once
the batch commits), whose send log makes each
(person, ritual, occurrence) once-only. Rules are expanded only for due rows, never
for every ritual every minute.
"""

from collections import Counter
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction

from notifications import bulk, delivery
from notifications.models import Outcome
from notifications.registry import Request

from .models import Reminder
from .notices import STARTED_LATE_LIMIT, NoticeKind, reminder_key


def _claim_due(now: datetime) -> list[tuple[Reminder, datetime]]:
    """One batch of due reminders, each moved on; returns (row, occurrence it was for).
    Call it inside the transaction that claims their notices (sweep_ritual_reminders):
    the row locks hold until that commits."""
    due = list(
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(remind_at__lte=now)
        .select_related("ritual__couple", "user")
        .order_by("remind_at")[: settings.SWEEP_BATCH]
    )
    claimed = []
    for reminder in due:
        occurrence_at = reminder.occurrence_at
        if occurrence_at is not None:
            claimed.append((reminder, occurrence_at))
        # The next one after this occurrence, or after now if we are far behind.
        after = max(now, occurrence_at) if occurrence_at else now
        reminder.schedule(reminder.ritual, after=after)
    _save_moved(due)
    return claimed


def _save_moved(reminders: list[Reminder]) -> None:
    """One UPDATE for the batch, as notifications' sweep does for users (bulk_update's
    CASE WHEN per row is slow for a thousand rows)."""
    if not reminders:
        return
    table = connection.ops.quote_name(Reminder._meta.db_table)
    rows = [
        (
            reminder.pk,
            bulk.db_time(reminder.occurrence_at) if reminder.occurrence_at else None,
            bulk.db_time(reminder.remind_at) if reminder.remind_at else None,
        )
        for reminder in reminders
    ]
    with_batch, params = bulk.batch({"id": "bigint", "occurrence_at": "timestamptz", "remind_at": "timestamptz"}, rows)
    bulk.execute(
        f"{with_batch} UPDATE {table} SET occurrence_at = batch.occurrence_at, remind_at = batch.remind_at "  # noqa: S608 (table name from code)
        f"FROM batch WHERE {table}.id = batch.id",
        params,
    )


def sweep_ritual_reminders(*, now: datetime) -> Counter:
    results: Counter = Counter()
    while True:
        # Moved on and claimed in one transaction (see notifications.delivery.sweep_reminders).
        with transaction.atomic():
            due = _claim_due(now)
            if not due:
                return results
            on_time = [
                Request(reminder.user, reminder_key(reminder.ritual_id, occurrence_at))
                for reminder, occurrence_at in due
                if now <= occurrence_at + STARTED_LATE_LIMIT
            ]
            results[Outcome.DROPPED] += len(due) - len(on_time)
            ids, skipped = delivery.claim_notices(kind_name=NoticeKind.RITUAL_REMINDER, requests=on_time, now=now)
            results += skipped
        results += delivery.enqueue(ids, claimed_at=now)
