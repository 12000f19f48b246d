"""The Celery app. Beat runs one sweep a minute; the sweep decides who is due."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("attune")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Once a minute; tests that watch beat itself shorten it (tests/trust/test_broker_restart.py).
SWEEP_EVERY_SECONDS = float(os.environ.get("ATTUNE_SWEEP_EVERY_SECONDS", "60"))
# A sweep that waited longer than its own period is pointless: the next one covers the
# same ground (55 s of 60).
SWEEP_EXPIRES = SWEEP_EVERY_SECONDS * 11 / 12

app.conf.beat_schedule = {
    "send-due-reminders": {
        "task": "notifications.tasks.send_due_reminders",
        "schedule": SWEEP_EVERY_SECONDS,
        "options": {"expires": SWEEP_EXPIRES},
    },
    "send-ritual-reminders": {
        "task": "rituals.tasks.send_ritual_reminders",
        "schedule": SWEEP_EVERY_SECONDS,
        "options": {"expires": SWEEP_EXPIRES},
    },
}
