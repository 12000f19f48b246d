"""A real Celery worker, over the test Redis, sends a ritual reminder end to end."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from config.celery import app as celery_app
from notifications.models import SendLog
from rituals.models import Reminder
from rituals.tasks import send_ritual_reminders

from ..factories import make_ritual
from ..notifications.test_worker import wait_for_mail, worker  # noqa: F401  (the worker fixture)

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_it_sends_a_ritual_reminder_through_the_worker(worker, alice, bob, couple):  # noqa: F811
    soon = timezone.now() + timedelta(minutes=10)
    local = soon.astimezone(couple.zone)
    make_ritual(couple, title="Tea together", start_time=local.time().replace(second=0, microsecond=0))
    assert Reminder.objects.filter(remind_at__lte=timezone.now()).count() == 2
    send_ritual_reminders.delay()
    wait_for_mail(2)
    time.sleep(0.5)  # a duplicate would arrive now
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.com", "bob@example.com"]
    assert mail.outbox[0].subject.startswith("Tea together at ")
    assert SendLog.objects.filter(sent_at__isnull=False).count() == 2


def test_it_schedules_the_ritual_sweep_every_minute():
    entry = celery_app.conf.beat_schedule["send-ritual-reminders"]
    assert entry["task"] == send_ritual_reminders.name
    assert entry["schedule"] == 60.0
