"""The broker (Redis) restarts, empty: beat and the worker that was running pick up again
by themselves, a sweep that runs while it is away loses no reminder, and a request that queues
a notice while it is away (or frozen) still saves and answers at once; that notice goes
out once the broker is back. A private redis-server (the shared one is never
restarted), PostgreSQL, a real worker and beat, a local SMTP server; about 50 s."""

import json
import logging
import os
import signal
import time
from collections import Counter
from contextlib import ExitStack
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from couples import services as couple_services
from couples.notices import NoticeKind as CoupleNotice
from notifications import delivery
from notifications.models import Channels, Outcome, Preference, SendLog
from prompts.models import Answer, DailyPrompt, Nudge
from prompts.notices import NoticeKind as PromptNotice

from ..factories import make_couples, make_user
from ..local import free_port, private_redis, wait_until
from ..smtp_sink import SmtpSink
from .workers import real_broker, start_beat, start_worker, worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# A request that queues a notice while the broker is down answers within this.
PUBLISH_GIVES_UP_WITHIN = 2.0  # Redis down: connections refused
FROZEN_GIVES_UP_WITHIN = 8.0  # Redis frozen: each try waits out a socket timeout
HEALTH_CHECK_WAITS = 4.0  # docker-compose.yml's check for web gives /healthz this long


def stop_and_drain(worker, port: int) -> None:
    """A warm shutdown: the worker finishes what it runs and hands back what it holds
    (acks late), so an empty queue after it means nothing more would be sent."""
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(30)
    assert redis.Redis(port=port).llen("celery") == 0


def test_it_delivers_with_the_same_worker_after_redis_restarts(library, tmp_path):
    before, after = make_couples(3, "before"), make_couples(3, "after")
    now = timezone.now()
    User.objects.filter(pk__in=[user.pk for user in before]).update(next_reminder_at=now - timedelta(minutes=1))
    User.objects.filter(pk__in=[user.pk for user in after]).update(next_reminder_at=now + timedelta(minutes=1))
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"

    with SmtpSink() as sink, real_broker(url), ExitStack() as stack:
        with private_redis(port):
            worker = start_worker(stack, worker_env(sink, url), "steady", tmp_path / "worker.log")
            delivery.sweep_reminders(now=now)
            wait_until(lambda: len(sink.received) >= len(before), 30, "the reminders before the restart")
        # Redis is gone: the worker loses its connection. It comes back empty on the
        # same address, as after a restart; the worker is not restarted.
        with private_redis(port):
            started = time.monotonic()
            assert delivery.sweep_reminders(now=now + timedelta(minutes=2))[Outcome.QUEUED] == len(after)
            wait_until(lambda: len(sink.received) >= len(before) + len(after), 30, "the worker to pick up again")
            print(f"delivered {time.monotonic() - started:.1f} s after the restart")
            assert worker.poll() is None  # the same worker, never restarted
            stop_and_drain(worker, port)

    assert sink.recipients() == Counter({user.email: 1 for user in before + after})  # none lost, none doubled
    assert SendLog.objects.filter(sent_at__isnull=False).count() == len(before + after)


def test_it_loses_no_reminder_from_a_sweep_while_redis_is_down(library, tmp_path, caplog):
    users = make_couples(3, "down")
    now = timezone.now()
    User.objects.update(next_reminder_at=now - timedelta(minutes=1))
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"

    with SmtpSink() as sink, real_broker(url), ExitStack() as stack:
        # No Redis at all: the sweep moves everyone on and claims their reminders, but
        # cannot hand them to a worker.
        with caplog.at_level(logging.WARNING, logger="notifications.broker"):
            results = delivery.sweep_reminders(now=now)
        assert results[Outcome.QUEUED] == 0
        assert results[Outcome.FAILED] == len(users)
        assert "could not be queued" in caplog.text
        assert User.objects.filter(next_reminder_at__lte=now).count() == 0  # moved on
        assert SendLog.objects.filter(sent_at=None).count() == len(users)  # claimed, unsent

        with private_redis(port):
            worker = start_worker(stack, worker_env(sink, url), "later", tmp_path / "worker.log")
            # The next sweeps within the stale limit leave the claims alone (a worker
            # might still hold them); the first one past it takes them over.
            assert delivery.sweep_reminders(now=now + timedelta(minutes=1))[Outcome.QUEUED] == 0
            later = now + timedelta(minutes=settings.SEND_CLAIM_STALE_MINUTES + 1)
            assert delivery.sweep_reminders(now=later)[Outcome.QUEUED] == len(users)
            wait_until(lambda: len(sink.received) >= len(users), 30, "the worker to send the taken-over claims")
            stop_and_drain(worker, port)

    assert sink.recipients() == Counter({user.email: 1 for user in users})
    assert SendLog.objects.filter(sent_at=None).count() == 0


def timed(action):
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def test_it_saves_answers_and_answers_at_once_when_redis_is_down(alice, bob, couple, library, caplog):
    port = free_port()  # nothing listens there
    alice_client, bob_client = Client(raise_request_exception=False), Client(raise_request_exception=False)
    alice_client.force_login(alice)
    bob_client.force_login(bob)
    today = reverse("prompts:today")

    with real_broker(f"redis://127.0.0.1:{port}/0"), caplog.at_level(logging.WARNING, logger="notifications.broker"):
        # The first answer queues "your partner answered" for bob.
        response, took = timed(lambda: alice_client.post(today, {"text": "Said while the broker was away"}))
        assert response.status_code == 302 and took < PUBLISH_GIVES_UP_WITHIN, (response.status_code, took)
        assert "send_partner_answered" in caplog.text
        # alice waits for bob: her nudge queues "your turn" for him.
        day = DailyPrompt.objects.get(couple=couple)
        response, took = timed(lambda: alice_client.post(reverse("prompts:nudge", args=[day.pk])))
        assert response.status_code in (200, 302) and took < PUBLISH_GIVES_UP_WITHIN, (response.status_code, took)
        assert Nudge.objects.filter(daily_prompt=day, sender=alice).exists()
        assert "send_nudge" in caplog.text
        # The second answer reveals the day and queues "your reveal is ready" for alice.
        response, took = timed(lambda: bob_client.post(today, {"text": "Mine, also while it was away"}))
        assert response.status_code == 302 and took < PUBLISH_GIVES_UP_WITHIN, (response.status_code, took)
        assert "send_reveal_ready" in caplog.text
        # Pairing queues "your partner joined" for the inviter.
        charlie, dana = make_user("charlie@example.com", "Charlie"), make_user("dana@example.com", "Dana")
        invite = couple_services.create_invite(inviter=charlie)
        dana_client = Client(raise_request_exception=False)
        dana_client.force_login(dana)
        response, took = timed(lambda: dana_client.post(reverse("couples:join", args=[invite.token])))
        assert response.status_code == 302 and took < PUBLISH_GIVES_UP_WITHIN, (response.status_code, took)
        assert "send_partner_joined" in caplog.text

    # Each notice it could not queue is claimed for a later sweep to take over.
    assert set(SendLog.objects.filter(sent_at=None).values_list("kind", "user__email")) == {
        (PromptNotice.PARTNER_ANSWERED, bob.email),
        (PromptNotice.NUDGE, bob.email),
        (PromptNotice.REVEAL_READY, alice.email),
        (CoupleNotice.PARTNER_JOINED, charlie.email),
    }
    assert sorted(Answer.objects.values_list("text", flat=True)) == [
        "Mine, also while it was away",
        "Said while the broker was away",
    ]
    assert DailyPrompt.objects.get(pk=day.pk).revealed_at is not None
    assert alice_client.get(today).status_code == 200


def test_it_saves_an_answer_and_answers_within_seconds_when_redis_is_frozen(alice, bob, couple, library, caplog):
    """Frozen (SIGSTOP): it takes connections and never replies, the worst case for a
    request that publishes; the socket timeouts bound the wait."""
    port = free_port()
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    with private_redis(port) as server, real_broker(f"redis://127.0.0.1:{port}/0"):
        os.kill(server.pid, signal.SIGSTOP)
        try:
            with caplog.at_level(logging.WARNING, logger="notifications.broker"):
                response, took = timed(
                    lambda: client.post(reverse("prompts:today"), {"text": "Said to a frozen broker"})
                )
        finally:
            os.kill(server.pid, signal.SIGCONT)
    print(f"answered in {took:.1f} s")
    assert response.status_code == 302 and took < FROZEN_GIVES_UP_WITHIN, (response.status_code, took)
    assert "send_partner_answered" in caplog.text
    assert Answer.objects.get(user=alice).text == "Said to a frozen broker"


def alices_client_and_bob_listening(alice, bob) -> tuple[Client, int]:
    """Alice signed in; bob wants "partner answered" by email, and no daily reminder is
    due to get in the way; a free port for the private Redis."""
    User.objects.update(next_reminder_at=timezone.now() + timedelta(days=1))
    Preference.objects.create(user=bob, kind=PromptNotice.PARTNER_ANSWERED, channels=Channels.EMAIL)
    client = Client()
    client.force_login(alice)
    return client, free_port()


def sweep_after_the_grace(sink: SmtpSink, worker, port: int) -> None:
    """The first sweep once the grace the notice's task would have waited is over: it
    takes the claim over, and the worker sends it; then the worker stops, its queue empty."""
    after_grace = timezone.now() + timedelta(seconds=settings.PARTNER_ANSWERED_GRACE_SECONDS + 1)
    assert delivery.sweep_reminders(now=after_grace)[Outcome.QUEUED] == 1
    wait_until(lambda: len(sink.received) >= 1, 30, "a worker to send the notice")
    stop_and_drain(worker, port)


def test_it_sends_a_notice_the_broker_could_not_take_once_it_is_back(alice, bob, couple, library, tmp_path):
    client, port = alices_client_and_bob_listening(alice, bob)
    url = f"redis://127.0.0.1:{port}/0"

    with SmtpSink() as sink, real_broker(url), ExitStack() as stack:
        assert client.post(reverse("prompts:today"), {"text": "Before the broker is back"}).status_code == 302
        with private_redis(port):
            worker = start_worker(stack, worker_env(sink, url), "back", tmp_path / "worker.log")
            sweep_after_the_grace(sink, worker, port)

    assert sink.recipients() == Counter({bob.email: 1})  # bob learns alice answered, once
    assert SendLog.objects.get(kind=PromptNotice.PARTNER_ANSWERED, user=bob).sent_at is not None


def test_it_sends_a_notice_the_worker_held_when_redis_restarted(alice, bob, couple, library, tmp_path):
    """A notice waits out its grace inside the worker (a countdown). When the broker
    connection breaks, Celery drops it, trusting the broker to hand it out again, which
    Redis restarted empty cannot; the claim made with the answer is what is left.

    Worse, kombu 5.7 crashes that worker ("Unrecoverable error: AttributeError: 'NoneType'
    object has no attribute 'hostname'", restoring its unacknowledged messages to the
    Redis that is gone), so it exits where an idle one reconnects. Its supervisor starts
    it again (compose: restart: unless-stopped); here a second worker stands in."""
    client, port = alices_client_and_bob_listening(alice, bob)
    url = f"redis://127.0.0.1:{port}/0"

    with SmtpSink() as sink, real_broker(url), ExitStack() as stack:
        with private_redis(port):
            start_worker(stack, worker_env(sink, url), "holding", tmp_path / "holding.log")
            assert client.post(reverse("prompts:today"), {"text": "Answered just before a restart"}).status_code == 302
            held = redis.Redis(port=port)
            wait_until(lambda: held.hlen("unacked") == 1 and held.llen("celery") == 0, 30, "the worker to hold it")
        with private_redis(port):
            replacement = start_worker(stack, worker_env(sink, url), "replacement", tmp_path / "replacement.log")
            sweep_after_the_grace(sink, replacement, port)

    assert sink.recipients() == Counter({bob.email: 1})  # bob learns alice answered, once


def test_it_keeps_beat_sending_sweeps_after_redis_restarts(tmp_path):
    """Beat, the one scheduler, publishes a sweep every period (here 1 s): it goes on by
    itself once Redis is back, empty, without being restarted. No worker runs, so the
    sweeps wait in the queue where the test counts them."""
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    env = {**worker_env(None, url), "ATTUNE_SWEEP_EVERY_SECONDS": "1"}
    queued = redis.Redis(port=port, socket_connect_timeout=0.5)
    with ExitStack() as stack:
        with private_redis(port):
            beat = start_beat(stack, env, tmp_path)
            wait_until(lambda: queued.llen("celery") >= 2, 30, "beat's first sweeps")
        time.sleep(2)  # beat finds Redis gone at least once
        with private_redis(port):
            wait_until(lambda: queued.llen("celery") >= 2, 30, "beat to send sweeps again")
            assert beat.poll() is None  # the same beat, never restarted
            tasks = {json.loads(message)["headers"]["task"] for message in queued.lrange("celery", 0, -1)}
    assert tasks == {"notifications.tasks.send_due_reminders", "rituals.tasks.send_ritual_reminders"}


def test_it_reports_an_unreachable_or_frozen_broker_on_healthz_within_seconds(db):
    """The container's health check: 503 while Redis is down or frozen, within the 4 s
    the compose file's check waits (never a hang), and 200 once it is back, with no
    restart of the web process."""
    port = free_port()
    client = Client()
    healthz = reverse("healthz")
    with real_broker(f"redis://127.0.0.1:{port}/0"):
        down, took_down = timed(lambda: client.get(healthz))
        with private_redis(port) as server:
            up = client.get(healthz)
            os.kill(server.pid, signal.SIGSTOP)
            try:
                frozen, took_frozen = timed(lambda: client.get(healthz))
            finally:
                os.kill(server.pid, signal.SIGCONT)
            again = client.get(healthz)
    print(f"healthz: {took_down:.1f} s with Redis down, {took_frozen:.1f} s with it frozen")
    assert (down.status_code, down.json()["broker"]) == (503, "unreachable") and took_down < HEALTH_CHECK_WAITS
    assert (up.status_code, up.json()["broker"]) == (200, "ok")
    assert (frozen.status_code, frozen.json()["broker"]) == (503, "unreachable") and took_frozen < HEALTH_CHECK_WAITS
    assert again.status_code == 200
