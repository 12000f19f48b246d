"""A real Celery worker, over the test Redis, delivers notices end to end."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.template import engines
from django.utils import timezone

from accounts.models import User
from config.celery import app as celery_app
from notifications import registry
from notifications.models import Channels, Preference, SendLog
from notifications.registry import Kind
from notifications.tasks import send_due_reminders, warm_up
from prompts.notices import NoticeKind
from prompts.services import ensure_daily_prompt, submit_answer

from ..factories import make_couple

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
            yield
    finally:
        celery_app.conf.task_always_eager = True


def wait_for_mail(count: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) >= count, f"{len(mail.outbox)} of {count} emails after {seconds}s"


def test_it_runs_the_sweep_and_delivers_a_reminder(worker, alice, bob, library):
    make_couple(alice, bob)
    User.objects.update(next_reminder_at=timezone.now() - timedelta(minutes=1))
    send_due_reminders.delay()
    wait_for_mail(2)
    time.sleep(0.5)  # a duplicate would arrive now
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]
    assert "question" in mail.outbox[0].subject
    assert SendLog.objects.filter(sent_at__isnull=False).count() == 2


def test_it_sends_reveal_ready_once_after_commit(worker, alice, bob, library, settings):
    settings.REVEAL_READY_GRACE_SECONDS = 0
    couple = make_couple(alice, bob)
    day = ensure_daily_prompt(couple=couple)
    submit_answer(daily_prompt=day, user=alice, text="canary-first-4b1")
    submit_answer(daily_prompt=day, user=bob, text="canary-second-9c2")
    wait_for_mail(1)
    time.sleep(0.5)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "Bob answered. Both answers are in" in mail.outbox[0].subject
    assert "canary-" not in mail.outbox[0].body


def test_it_tells_the_partner_who_has_not_answered_once(worker, alice, bob, library, settings):
    settings.PARTNER_ANSWERED_GRACE_SECONDS = 0
    couple = make_couple(alice, bob)
    Preference.objects.create(user=bob, kind=NoticeKind.PARTNER_ANSWERED, channels=Channels.EMAIL)
    day = ensure_daily_prompt(couple=couple)
    submit_answer(daily_prompt=day, user=alice, text="canary-first-5d7")
    submit_answer(daily_prompt=day, user=alice, text="canary-edited-8e1")  # an edit is not news
    wait_for_mail(1)
    time.sleep(0.5)
    assert [(m.to, m.subject) for m in mail.outbox] == [(["bob@example.com"], "Alice answered. Your turn")]
    assert "canary-" not in mail.outbox[0].body
    assert SendLog.objects.get(kind=NoticeKind.PARTNER_ANSWERED).sent_at is not None


def test_it_schedules_the_sweep_every_minute():
    entry = celery_app.conf.beat_schedule["send-due-reminders"]
    assert entry["task"] == send_due_reminders.name
    assert entry["schedule"] == 60.0


@pytest.fixture
def cold_templates():
    """The template cache as a freshly started process has it: empty."""
    loader = engines["django"].engine.template_loaders[0]  # type: ignore[attr-defined]
    loader.reset()
    return loader


def test_it_compiles_every_kinds_templates_as_it_starts(cold_templates, worker):
    # The first sweep's notices should not wait while a worker compiles templates
    # and loads the URL patterns (half a second of CPU).
    kinds = registry.all_kinds()
    assert kinds
    for kind in kinds:
        for name in (f"{kind.template}_subject.txt", f"{kind.template}.txt", f"{kind.template}.html"):
            assert name in cold_templates.get_template_cache, f"{name} not compiled"


def test_it_starts_even_when_a_kinds_templates_are_missing(caplog):
    registry.register(
        Kind(name="test_no_templates", template="tests/email/none_such", notices=lambda requests, now: [])
    )
    try:
        warm_up()  # as worker_init calls it: logs, does not raise
    finally:
        registry.unregister("test_no_templates")
    assert "Warming up the notice templates failed" in caplog.text
