"""Sending notices once: claim, deliver, and the sweep that drives both.

- `sweep_reminders(now=...)`, once a minute from beat: moves every due user on to their
  next reminder time, batch by batch, asks each daily kind which of them still need a
  notice, claims those in the send log, and fans delivery out to Celery in chunks. It
  also takes over claims left unsent (a worker died, the mail server refused) while
  they are still useful.
- `claim_notices(...)` and `enqueue(...)`: the same from "which of these still need it"
  on, for any kind (the ritual sweep uses them too).
- `send_now(...)`: one notice, claimed and delivered in the calling task.
- `send_after_commit(...)`: a request's one notice, claimed with the request and
  queued for send_now after commit; the sweep takes it over if that task is lost.
- `deliver(...)`: the Celery task's body: render each variant once, fill in each
  person, send over one session per channel, write sent_at.

Every step touches the database a fixed number of times per batch, whatever its size.
Plain functions taking `now`, so tests drive the clock; tasks.py only calls these.
"""

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import partial

from celery import Task
from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.lookups import OneOf

from . import broker, bulk, registry
from .channels import Audience, Outgoing, open_channels
from .models import Outcome, Recipient, SendLog
from .registry import Notice, Request
from .rendering import Rendered, render_shared

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "attune.notifications.unsubscribe"


def _unsubscribe_signer(email: str) -> signing.TimestampSigner:
    # The address is part of the salt: once it changes, every link sent to the old
    # one stops working.
    return signing.TimestampSigner(salt=f"{UNSUBSCRIBE_SALT}:{email.lower()}")


def unsubscribe_token(user: User, recipient: Recipient | None = None) -> str:
    """`<opaque id>:<timestamp>:<signature>`: no user id, no address in it. Pass the
    person's Recipient when it is loaded already (a delivery loads a batch's)."""
    if recipient is None:
        recipient, _created = Recipient.objects.get_or_create(user=user)
    return _unsubscribe_signer(user.email).sign(recipient.public_id.hex)


def user_for_unsubscribe_token(token: str) -> User | None:
    public_id = token.partition(":")[0]
    if len(public_id) != 32 or not all(c in "0123456789abcdef" for c in public_id):
        return None
    recipient = Recipient.objects.filter(public_id=public_id).select_related("user").first()
    if recipient is None:
        return None
    try:
        _unsubscribe_signer(recipient.user.email).unsign(token, max_age=settings.UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:  # expired, tampered, or for another address
        return None
    return recipient.user


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _chunks(items: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


# --- Claims ---------------------------------------------------------------------------


def _table() -> str:
    return connection.ops.quote_name(SendLog._meta.db_table)


def _reclaim(ids: Sequence[int], *, claimed: str, when: datetime, now: datetime) -> list[int]:
    """Of these unsent claims, those whose claimed_at still `claimed` `when` (the
    comparison "<" or "=") become ours, claimed now: one conditional UPDATE."""
    if not ids:
        return []
    match, params = bulk.ids_match("id", ids)
    rows = bulk.execute(
        f"UPDATE {_table()} SET claimed_at = %s WHERE {match} AND sent_at IS NULL AND claimed_at {claimed} %s "  # noqa: S608 (table name and operator from code)
        "RETURNING id",
        [bulk.db_time(now), *params, bulk.db_time(when)],
    )
    return [row[0] for row in rows]


def _take_over(ids: Sequence[int], *, stale_before: datetime, now: datetime) -> list[int]:
    """Of these unsent claims, those still stale."""
    return _reclaim(ids, claimed="<", when=stale_before, now=now)


def claim(*, kind: str, pairs: Sequence[tuple[int, str]], now: datetime) -> list[int]:
    """Take the right to send `kind` for each (user id, key); return the send-log ids
    that are now ours. Three statements at most, whatever the count: insert the rows
    nobody has (INSERT ... ON CONFLICT DO NOTHING RETURNING), find the rest, and take
    over those that are unsent with a claim older than the stale limit."""
    pairs = list(dict.fromkeys(pairs))
    if not pairs:
        return []
    when = bulk.db_time(now)
    with_batch, params = bulk.batch({"user_id": "bigint", "key": "text"}, pairs)
    # SQLite needs the WHERE to tell the SELECT from the ON CONFLICT clause.
    inserted = bulk.execute(
        f'{with_batch} INSERT INTO {_table()} (user_id, kind, "key", created_at, due_at, claimed_at) '  # noqa: S608 (table name from code)
        f"SELECT user_id, %s, key, %s, %s, %s FROM batch WHERE true "
        f'ON CONFLICT (user_id, kind, "key") DO NOTHING RETURNING id',
        [*params, kind, when, when, when],
    )
    ours = [row[0] for row in inserted]
    if len(ours) == len(pairs):
        return ours
    stale_before = now - timedelta(minutes=settings.SEND_CLAIM_STALE_MINUTES)
    wanted = set(pairs)
    existing = SendLog.objects.filter(
        kind=kind,
        user_id__in={user_id for user_id, _ in pairs},
        key__in={key for _, key in pairs},
        sent_at=None,
        claimed_at__lt=stale_before,
    ).values_list("id", "user_id", "key")
    stale = [pk for pk, user_id, key in existing if (user_id, key) in wanted]
    return ours + _take_over(stale, stale_before=stale_before, now=now)


# --- Delivery -------------------------------------------------------------------------


def _still_wanted(
    kind: registry.Kind, requests: Sequence[Request], now: datetime, audience: Audience | None = None
) -> list[Notice]:
    """The kind's notices, less those the person wants on no channel."""
    notices = kind.notices(requests, now)
    if audience is None:
        audience = Audience(notice.user for notice in notices)
    return [notice for notice in notices if audience.channels(notice.user, kind.name)]


def claim_notices(*, kind_name: str, requests: Sequence[Request], now: datetime) -> tuple[list[int], Counter]:
    """Claim the notices of this kind still worth sending; return the claims and the
    count of requests skipped. Inside the transaction that moved the requests' users or
    reminders on, so that both happen or neither does (a worker that dies between them
    would otherwise lose the reminder); enqueue the claims after it commits."""
    kind = registry.get(kind_name)
    if kind is None:
        raise LookupError(f"no notice kind {kind_name!r} is registered")
    notices = _still_wanted(kind, requests, now)
    ids = claim(kind=kind.name, pairs=[(notice.user.pk, notice.key) for notice in notices], now=now)
    return ids, Counter({Outcome.SKIPPED: len(requests) - len(ids)})


def enqueue(log_ids: Sequence[int], *, claimed_at: datetime) -> Counter:
    """Fan delivery of committed claims out to the workers. A chunk the broker cannot
    take stays claimed and unsent, counted FAILED: the first sweep past the stale limit
    takes it over and queues it again (_retry_stale), so a broker that is away delays
    these notices and loses none."""
    from . import tasks  # tasks imports this module

    results: Counter = Counter()
    for chunk in _chunks(log_ids, settings.NOTICE_DELIVERY_CHUNK):
        queued = broker.publish(tasks.deliver_notices, (chunk, claimed_at.isoformat()))
        results[Outcome.QUEUED if queued else Outcome.FAILED] += len(chunk)
    return results


def send_now(*, kind_name: str, user_id: int, key: str, now: datetime) -> Outcome:
    """Claim and deliver one notice here (we are in a task already). Delivery asks the
    kind whether it is still wanted, and lets go of a claim that is not."""
    kind = registry.get(kind_name)
    user = User.objects.filter(pk=user_id).first()
    if kind is None or user is None:
        return Outcome.SKIPPED
    ids = claim(kind=kind.name, pairs=[(user.pk, key)], now=now)
    if not ids:
        return Outcome.SKIPPED
    (outcome,) = deliver(log_ids=ids, claimed_at=now, now=now)  # one claim, one outcome
    return outcome


def send_after_commit(task: Task, *, kind_name: str, user_id: int, key_id: int, countdown: float = 0) -> None:
    """A request's one notice: claimed now, in the request's transaction, and once that
    commits, `task(key_id, user_id)` queued to send it after `countdown` seconds (a
    grace, so the kind can still decide it is not needed).

    The claim is made stale from the start, due when the grace ends. The task takes it
    over at once when it runs; if the task never runs, the first sweep after it is due
    takes it over instead, and it goes out if the kind still wants it then. That covers
    a broker that cannot take the task (down, frozen) and one that loses it: a worker
    drops the tasks it holds for a countdown when its broker connection breaks,
    trusting the broker to redeliver them, which a Redis restarted empty cannot. The
    send log keeps it once whichever comes first."""
    now = timezone.now()
    stale = now - timedelta(minutes=settings.SEND_CLAIM_STALE_MINUTES, seconds=1)
    due_at = now + timedelta(seconds=countdown)
    log = SendLog(user_id=user_id, kind=kind_name, key=str(key_id), created_at=now, due_at=due_at, claimed_at=stale)
    SendLog.objects.bulk_create([log], ignore_conflicts=True)  # claimed or sent already: once-only
    transaction.on_commit(partial(broker.publish, task, (key_id, user_id), countdown=countdown))


class _Renderer:
    """Renders each (kind, variant) once per delivery, then fills in each person."""

    def __init__(self) -> None:
        # Kinds' templates build their own links from site_url with {% url %}.
        self.shared = {"site_url": settings.SITE_URL, "settings_url": _absolute(reverse("accounts:settings"))}
        self.cache: dict[tuple, Rendered] = {}
        # reverse() once: each person's link differs only by the token.
        self.unsubscribe_url = _absolute(reverse("notifications:unsubscribe", args=["TOKEN"]))
        self.push_url = _absolute(reverse("home"))

    def outgoing(self, kind: registry.Kind, notice: Notice, audience: Audience) -> Outgoing:
        cache_key = (kind.name, notice.variant)
        if cache_key not in self.cache:
            context = {**self.shared, **dict(notice.variant)}
            self.cache[cache_key] = render_shared(kind.template, context, (*kind.slot_names, "unsubscribe_url"))
        token = unsubscribe_token(notice.user, audience.recipients[notice.user.pk])
        unsubscribe_url = self.unsubscribe_url.replace("TOKEN", token)
        filled = self.cache[cache_key].fill({**notice.slots, "unsubscribe_url": unsubscribe_url})
        return Outgoing(
            user=notice.user,
            subject=filled.subject,
            text=filled.text,
            html=filled.html,
            unsubscribe_url=unsubscribe_url,
            push_url=self.push_url,
            subscriptions=tuple(audience.subscriptions[notice.user.pk]),
        )


def warm_up() -> None:
    """What a worker's first delivery would otherwise do while due people wait: load
    the URL patterns (reverse) and compile every kind's templates, about half a second
    of CPU. A worker does this as it starts (tasks.py)."""
    _Renderer()
    for kind in registry.all_kinds():
        for name in (f"{kind.template}_subject.txt", f"{kind.template}.txt", f"{kind.template}.html"):
            get_template(name)


def deliver(*, log_ids: Sequence[int], claimed_at: datetime, now: datetime) -> Counter:
    """Send the notices of these claims, if the claims are still ours and still useful.

    A claim is ours while nobody has taken it over: its claimed_at is still the one we
    were given (a task that sat in the queue past the stale limit may find a sweep took
    its claims). Each message is marked sent as soon as a channel has taken it, so a
    process killed mid-task leaves at most the message accepted in that instant
    unmarked, to go out again when its claim is taken over
    (tests/trust/test_worker_killed.py).
    """
    results: Counter = Counter()
    if not log_ids:
        return results
    owned = _reclaim(log_ids, claimed="=", when=claimed_at, now=now)
    sent_at = bulk.db_time(now)
    results[Outcome.SKIPPED] += len(log_ids) - len(owned)
    logs_by_kind: dict[str, list[SendLog]] = defaultdict(list)
    for log in SendLog.objects.filter(OneOf("pk", owned)).select_related("user"):
        logs_by_kind[log.kind].append(log)
    audience = Audience((log.user for logs in logs_by_kind.values() for log in logs), with_recipients=True)

    renderer = _Renderer()
    channels = open_channels()
    useless: list[int] = []
    deferred: list[tuple[int, datetime]] = []
    _marks_need_not_wait_for_the_disk(True)
    marks = connection.cursor()
    try:
        for kind_name, logs in logs_by_kind.items():
            kind = registry.get(kind_name)
            if kind is None:
                logger.warning("Send log %s names kind %r, which no app registers", [log.pk for log in logs], kind_name)
                results[Outcome.SKIPPED] += len(logs)
                continue
            on_time = [log for log in logs if now - log.due_at <= kind.late_limit]
            results[Outcome.DROPPED] += len(logs) - len(on_time)
            notices = {
                (notice.user.pk, notice.key): notice
                for notice in _still_wanted(kind, [Request(log.user, log.key) for log in on_time], now, audience)
            }
            for log in on_time:
                notice = notices.get((log.user_id, log.key))
                if notice is None:
                    useless.append(log.pk)
                    results[Outcome.SKIPPED] += 1
                    continue
                quiet_until = audience.quiet_until(notice.user, now)
                if quiet_until is not None:
                    # Kept, unsent, until the quiet hours end; then the sweep takes it
                    # over, and the kind decides whether it is still worth sending.
                    deferred.append((log.pk, quiet_until))
                    results[Outcome.DEFERRED] += 1
                    continue
                outcome = _send(kind, notice, renderer, channels, audience)
                results[outcome] += 1
                if outcome == Outcome.SENT:
                    _mark_sent(marks, log.pk, sent_at)
    finally:
        marks.close()
        _marks_need_not_wait_for_the_disk(False)
        for channel in channels.values():
            channel.close()
    # A claim that is no longer useful is let go: "no row" means "not sent".
    SendLog.objects.filter(pk__in=useless, sent_at=None).delete()
    _defer(deferred)
    return +results  # without the outcomes that did not happen


def _defer(deferred: Sequence[tuple[int, datetime]]) -> None:
    """Move these unsent claims' due_at to when their quiet hours end: one UPDATE."""
    if not deferred:
        return
    rows = [(pk, bulk.db_time(until)) for pk, until in deferred]
    with_batch, params = bulk.batch({"id": "bigint", "due_at": "timestamptz"}, rows)
    bulk.execute(
        f"{with_batch} UPDATE {_table()} SET due_at = batch.due_at FROM batch "  # noqa: S608 (table name from code)
        f"WHERE {_table()}.id = batch.id AND {_table()}.sent_at IS NULL",
        params,
    )


def _send(kind: registry.Kind, notice: Notice, renderer: _Renderer, channels: dict, audience: Audience) -> Outcome:
    outgoing = renderer.outgoing(kind, notice, audience)
    delivered = False
    for name in audience.channels(notice.user, kind.name):
        try:
            channels[name].send(outgoing)
        except Exception:
            # The claim stays unsent; a sweep takes it over once it is stale.
            logger.exception("Sending %s by %s to user %s failed", kind.name, name, notice.user.pk)
        else:
            delivered = True
    return Outcome.SENT if delivered else Outcome.FAILED


def _marks_need_not_wait_for_the_disk(on: bool) -> None:
    """On PostgreSQL, while a delivery runs, its commits (the sent marks) return before
    the disk has them: waiting on the disk for each one halved a worker's throughput.
    What this risks is a PostgreSQL crash losing the last fraction of a second of
    marks, so those few notices go out again when their claims are taken over; a
    killed worker loses no mark."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off" if on else "RESET synchronous_commit")


def _mark_sent(cursor: CursorWrapper, log_id: int, sent_at: datetime | str) -> None:
    """One row, by hand, on the delivery's one cursor: this runs once per message, and
    the ORM's update() cost more CPU than sending the message, a cursor per mark a
    tenth of it. Autocommit: the mark holds once this returns. `sent_at` is adapted
    for the database once per delivery (bulk.db_time)."""
    cursor.execute(f"UPDATE {_table()} SET sent_at = %s WHERE id = %s", [sent_at, log_id])  # noqa: S608 (table name from code)


# --- The sweep ------------------------------------------------------------------------


def _claim_due_users(now: datetime) -> list[tuple[User, datetime]]:
    """One batch of due users, each moved on to their next reminder time. Call it inside
    the transaction that claims their notices (sweep_reminders): the row locks hold
    until that commits.

    On PostgreSQL, SKIP LOCKED lets concurrent sweeps take different batches; on
    SQLite, transactions begin IMMEDIATE, so sweeps take turns.
    """
    users = list(
        User.objects.select_for_update(skip_locked=True)
        .filter(next_reminder_at__lte=now)
        .order_by("next_reminder_at")[: settings.SWEEP_BATCH]
    )
    due = [(user, user.next_reminder_at) for user in users if user.next_reminder_at is not None]
    for user in users:
        user.schedule_next_reminder(now=now)
    _save_next_reminders(users)
    return due


def _save_next_reminders(users: Sequence[User]) -> None:
    """One UPDATE for the batch (bulk_update's CASE WHEN per row cost half a second
    for a thousand rows)."""
    if not users:
        return
    table = connection.ops.quote_name(User._meta.db_table)
    rows = [(user.pk, bulk.db_time(user.next_reminder_at) if user.next_reminder_at else None) for user in users]
    with_batch, params = bulk.batch({"id": "bigint", "next_at": "timestamptz"}, rows)
    bulk.execute(
        f"{with_batch} UPDATE {table} SET next_reminder_at = batch.next_at FROM batch WHERE {table}.id = batch.id",  # noqa: S608 (table name from code)
        params,
    )


def _retry_stale(now: datetime) -> Counter:
    results: Counter = Counter()
    stale_before = now - timedelta(minutes=settings.SEND_CLAIM_STALE_MINUTES)
    while True:
        ids = list(
            SendLog.objects.filter(
                sent_at=None,
                claimed_at__lt=stale_before,
                due_at__lte=now,
                due_at__gte=now - registry.longest_late_limit(),
            )
            .order_by("claimed_at")
            .values_list("id", flat=True)[: settings.SWEEP_BATCH]
        )
        if not ids:
            return results
        results += enqueue(_take_over(ids, stale_before=stale_before, now=now), claimed_at=now)


def sweep_reminders(*, now: datetime) -> Counter:
    """Move every due user on to their next reminder, and queue what is still useful.

    Safe to run concurrently: a batch of users belongs to the sweep that locked and
    moved it, and the send log makes each notice once-only.
    """
    late_limit = timedelta(minutes=settings.REMINDER_LATE_LIMIT_MINUTES)
    results: Counter = Counter()
    while True:
        # Moving the batch on and claiming its notices commit together: a sweep that
        # dies in between leaves the batch due for the next one, never moved and unclaimed.
        with transaction.atomic():
            due = _claim_due_users(now)
            if not due:
                break
            on_time = [Request(user) for user, scheduled in due if now - scheduled <= late_limit]
            results[Outcome.DROPPED] += len(due) - len(on_time)
            claimed = []
            for kind in registry.daily_kinds():
                ids, skipped = claim_notices(kind_name=kind.name, requests=on_time, now=now)
                claimed.append(ids)
                results += skipped
        for ids in claimed:
            results += enqueue(ids, claimed_at=now)
    results += _retry_stale(now)
    return results
