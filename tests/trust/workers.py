"""Real Celery workers for the fault tests: started as production starts them, in a
process group of their own, against a broker the test names."""

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from django.db import connection

from config.celery import app as celery_app

from ..local import process_group
from ..smtp_sink import SmtpSink


def worker_env(sink: SmtpSink | None, broker_url: str) -> dict[str, str]:
    """A worker's (or beat's: no sink) environment: this database, this broker."""
    db = connection.settings_dict
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": broker_url,
        **({"EMAIL_URL": f"smtp://127.0.0.1:{sink.port}"} if sink else {}),
        "LOG_LEVEL": "WARNING",
    }


def start_worker(stack: ExitStack, env: dict[str, str], name: str, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=threads", "--concurrency=2"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", f"--hostname={name}@%h"]
    out = stack.enter_context(log.open("w"))
    return stack.enter_context(process_group(command, env, out))


def start_beat(stack: ExitStack, env: dict[str, str], tmp: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "config", "beat", f"--schedule={tmp / 'beat-schedule'}"]
    out = stack.enter_context((tmp / "beat.log").open("w"))
    return stack.enter_context(process_group(command, env, out))


def _use_broker(url: str) -> None:
    celery_app.conf.update(broker_url=url)
    # The connection and producer pools are made once, for the URL of the time: drop
    # them (as Celery does after a fork) so the next publish makes them anew.
    celery_app._pool = None  # type: ignore[attr-defined]
    celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]


@contextlib.contextmanager
def real_broker(url: str | None = None) -> Iterator[str]:
    """Tasks go to a broker instead of running in-process as they do in the rest of
    the suite: the test Redis database, emptied first, or the private server at `url`
    (new, so empty; it need not be running yet). Yields the broker's URL, for workers."""
    before = celery_app.conf.broker_url
    if url is not None:
        _use_broker(url)
    celery_app.conf.task_always_eager = False
    try:
        if url is None:
            celery_app.control.purge()
        yield celery_app.conf.broker_url
    finally:
        celery_app.conf.task_always_eager = True
        if url is not None:
            _use_broker(before)
