"""Handing tasks to the broker, which may be away (down, restarting, frozen).

What is queued here is follow-up work whose cause is already saved: a notice after an
answer, a delivery after a claim. A broker that cannot take it must never undo or
fail that cause, nor keep a person waiting long, so a failed publish is logged and
reported, not raised. Each caller says what an unqueued task costs.
"""

import logging
from typing import Any

from celery import Task
from celery.exceptions import OperationalError

logger = logging.getLogger(__name__)


def publish(task: Task, args: tuple[Any, ...], *, countdown: float = 0) -> bool:
    """Queue the task; False, and a warning, if the broker cannot be reached. Kombu has
    retried by then within CELERY_TASK_PUBLISH_RETRY_POLICY and the broker's socket
    timeouts (config/settings.py), so the caller waits a bounded time."""
    try:
        task.apply_async(args, countdown=countdown)
    except OperationalError as error:
        logger.warning("%s%s could not be queued, the broker is unreachable: %s", task.name, tuple(args), error)
        return False
    return True
