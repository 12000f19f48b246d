"""A real Celery worker killed (SIGKILL) mid-batch: another worker and the next sweep
deliver the rest, each reminder exactly once (invariant 6). PostgreSQL, Redis broker,
a local SMTP server; about 20 s."""

import asyncio
import itertools
import os
import signal
import threading
import time
from contextlib import ExitStack
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from notifications import delivery
from notifications.models import SendLog

from ..factories import make_couples
from ..local import wait_until
from ..smtp_sink import SmtpSink
from .workers import real_broker, start_worker, worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

COUPLES = 30
HOLD_AT = 17  # the message the first worker is sending when it is killed


class HoldingSink(SmtpSink):
    """Accepts every message but one: that one it holds, unanswered, until released,
    then refuses; so the worker can be killed while it waits on the mail server."""

    def __init__(self) -> None:
        super().__init__()
        self.holding, self.release = threading.Event(), threading.Event()
        accept, count = self.handler.handle_DATA, itertools.count(1)

        async def handle_data(server, session, envelope) -> str:
            if next(count) == HOLD_AT:
                self.holding.set()
                while not self.release.is_set():
                    await asyncio.sleep(0.02)
                return "451 Not now"
            return await accept(server, session, envelope)

        self.handler.handle_DATA = handle_data  # type: ignore[method-assign]


@pytest.fixture
def broker():
    with real_broker() as url:
        yield url


def test_it_sends_each_reminder_once_when_a_worker_is_killed_mid_batch(library, broker, tmp_path):
    users = make_couples(COUPLES, "killed")
    now = timezone.now()
    User.objects.update(next_reminder_at=now - timedelta(minutes=1))

    sink = HoldingSink()
    with sink, ExitStack() as stack:
        env = worker_env(sink, broker)  # the test broker the sweep publishes to
        first = start_worker(stack, env, "first", tmp_path / "first.log")
        delivery.sweep_reminders(now=now)  # claims all, one delivery task on the broker
        assert sink.holding.wait(60), "the first worker never reached the held message"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        sink.release.set()
        assert len(sink.received) == HOLD_AT - 1
        assert SendLog.objects.filter(sent_at__isnull=False).count() == HOLD_AT - 1  # each marked as sent

        start_worker(stack, env, "second", tmp_path / "second.log")
        # The next sweep once the dead worker's claims are stale (5 minutes on): it
        # takes them over and queues them for the second worker.
        delivery.sweep_reminders(now=now + timedelta(minutes=settings.SEND_CLAIM_STALE_MINUTES + 1))
        wait_until(lambda: len(sink.received) >= len(users), 60, "the second worker to send the rest")
        time.sleep(1)  # a duplicate would arrive now
        received = sink.recipients()

    assert set(received) == {user.email for user in users}  # none lost
    assert [email for email, times in received.items() if times > 1] == []  # none doubled
    assert SendLog.objects.filter(sent_at__isnull=False).count() == len(users)
