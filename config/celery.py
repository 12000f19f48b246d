"""The Celery app. Beat runs one sweep a minute; the sweep decides who is due."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("attune")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "send-due-reminders": {
        "task": "notifications.tasks.send_due_reminders",
        "schedule": 60.0,
        # A sweep that waited longer than its own period is pointless: the next one
        # covers the same ground.
        "options": {"expires": 55},
    },
    "send-ritual-reminders": {
        "task": "rituals.tasks.send_ritual_reminders",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
