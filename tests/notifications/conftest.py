import pytest
from django.utils import timezone

from notifications import delivery


class Clock:
    """What timezone.now() says in a test: delivery tasks read the clock themselves,
    so a sweep driven at a chosen instant must find the same instant there."""

    def __init__(self) -> None:
        self.moment = None

    def set(self, moment):
        self.moment = moment
        return moment


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: clock.moment or real_now())
    return clock


@pytest.fixture
def sweep(clock):
    """The reminder sweep at a chosen instant, with the clock set to it."""

    def run(now):
        clock.set(now)
        return delivery.sweep_reminders(now=now)

    return run
