"""Faults: a sweep that dies half-way loses and doubles nothing; the site outlives a
Redis restart and a PostgreSQL restart (private servers, never the shared ones)."""

import shutil
import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from couples.models import Couple
from notifications import delivery
from notifications.models import SendLog
from prompts import search as prompts_search
from prompts.models import Answer
from rituals import services as ritual_services
from rituals.models import Reminder
from rituals.reminders import sweep_ritual_reminders

from ..factories import at, make_couples, make_ritual, make_user
from ..local import free_port, private_redis


class WorkerDied(BaseException):
    """As good as a kill -9 for the code under test: nothing catches it."""


def make_due_couples(count: int, now) -> list[User]:
    users = make_couples(count, "due")
    User.objects.update(next_reminder_at=now - timedelta(minutes=1))
    return users


def test_it_loses_no_daily_reminder_when_the_sweep_dies_between_moving_and_claiming(library, monkeypatch, settings):
    settings.SWEEP_BATCH = 4
    now = timezone.now()
    users = make_due_couples(4, now)
    real_claim = delivery.claim
    calls = {"n": 0}

    def claim_then_die(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch: moved on, about to be claimed
            raise WorkerDied
        return real_claim(**kwargs)

    monkeypatch.setattr(delivery, "claim", claim_then_die)
    with pytest.raises(WorkerDied):
        delivery.sweep_reminders(now=now)
    monkeypatch.setattr(delivery, "claim", real_claim)
    sent_first = sorted(m.to[0] for m in mail.outbox)
    assert len(sent_first) == 4  # the first batch went out
    # The batch that died was not moved on: it is still due, and unclaimed.
    assert User.objects.filter(next_reminder_at__lte=now).count() == len(users) - 4
    assert SendLog.objects.count() == 4

    delivery.sweep_reminders(now=now)  # the next sweep (or the redelivered task)

    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == sorted(user.email for user in users)  # each once: none lost, none doubled


def test_it_loses_no_ritual_reminder_when_the_sweep_dies_between_moving_and_claiming(alice, bob, couple, monkeypatch):
    ritual = make_ritual(couple, starts_on=date(2026, 6, 1))
    ritual_services.reschedule_reminders(ritual=ritual, now=at(2026, 6, 1, 12))
    moment = at(2026, 6, 1, 18, 20)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    before = dict(Reminder.objects.values_list("pk", "remind_at"))

    def die(**kwargs):
        raise WorkerDied

    monkeypatch.setattr(delivery, "claim", die)
    with pytest.raises(WorkerDied):
        sweep_ritual_reminders(now=moment)
    assert dict(Reminder.objects.values_list("pk", "remind_at")) == before  # not moved on
    monkeypatch.undo()
    monkeypatch.setattr(timezone, "now", lambda: moment)

    sweep_ritual_reminders(now=moment)
    sweep_ritual_reminders(now=moment)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])


# --- Private servers: the shared PostgreSQL and Redis are never restarted -------------


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_keeps_serving_while_redis_restarts_and_uses_it_again_after(alice, bob, couple, library, settings):
    port = free_port()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        },
    }
    client = Client()
    client.force_login(alice)
    today = reverse("prompts:today")
    with private_redis(port):
        assert client.get(today).status_code == 200
        assert cache.get(Couple.cache_key_for(alice.pk)) is not None  # the page cached her couple
    # Redis is down: pages still load (from PostgreSQL), an answer is still saved.
    assert client.get(today).status_code == 200
    assert client.post(today, {"text": "Said while Redis was away"}).status_code == 302
    assert Answer.objects.get(user=alice).text == "Said while Redis was away"
    assert client.get(reverse("prompts:history")).status_code == 200
    with private_redis(port):  # back, empty, on the same address: used again with no restart of ours
        assert client.get(today).status_code == 200
        assert cache.get(Couple.cache_key_for(alice.pk)) is not None


@pytest.fixture
def private_postgres(django_db_setup, django_db_blocker):
    """A throwaway PostgreSQL cluster (run as the postgres user: initdb refuses root),
    holding the test database's tables; yields the pg_ctl command to restart it."""
    root = Path(tempfile.mkdtemp(prefix="attune-pg-"))
    shutil.chown(root, "postgres")
    data, port = root / "data", free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"]
    bin_dir = "/usr/lib/postgresql/15/bin"
    subprocess.run(
        [*as_postgres, f"{bin_dir}/initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    # -l: the server's output to a file, or it holds our pipe open and run() never returns.
    ctl = [*as_postgres, f"{bin_dir}/pg_ctl", "-D", str(data), "-w", "-l", str(root / "log")]
    ctl += ["-o", f"-p {port} -k {root} -c listen_addresses=''"]
    subprocess.run([*ctl, "start"], check=True, capture_output=True, timeout=60)
    try:
        where = ["-h", str(root), "-p", str(port), "-U", "postgres"]
        subprocess.run(["createdb", *where, "attune"], check=True, capture_output=True, timeout=30)
        shared = connection.settings_dict
        source = ["-h", shared["HOST"] or "127.0.0.1", "-p", str(shared["PORT"] or 5432), "-U", shared["USER"]]
        schema = subprocess.run(
            ["pg_dump", "--schema-only", "--no-owner", *source, shared["NAME"]],
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout
        subprocess.run(["psql", "-q", *where, "attune"], input=schema, check=True, capture_output=True, timeout=60)
        saved = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update(HOST=str(root), PORT=str(port), USER="postgres", NAME="attune")
        try:
            with django_db_blocker.unblock():
                yield ctl
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
    finally:
        subprocess.run([*ctl, "-m", "immediate", "stop"], check=False, capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # sets up the test database whose tables the private cluster copies
def test_it_answers_a_calm_503_when_postgresql_restarts_mid_request_then_recovers(private_postgres, monkeypatch):
    user = make_user("restart@example.com", "Robin")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    history = reverse("prompts:history")
    assert client.get(history).status_code == 200

    real_run = prompts_search._HISTORY_DAYS.run

    def restart_then_run(**values):  # the session and user are read; now the server restarts
        subprocess.run([*private_postgres, "-m", "fast", "restart"], check=True, capture_output=True, timeout=60)
        return real_run(**values)

    monkeypatch.setattr(prompts_search._HISTORY_DAYS, "run", restart_then_run)
    response = client.get(history)
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "catching its breath" in body and "Traceback" not in body and "psycopg" not in body
    monkeypatch.undo()

    # What Django does as each request starts (the test client leaves it out): with
    # CONN_HEALTH_CHECKS the broken connection is dropped and the next one is new.
    close_old_connections()
    assert client.get(history).status_code == 200
