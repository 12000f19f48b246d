"""Invariant 5: both partners answer in the same instant, on PostgreSQL, repeatedly:
both answers kept, one reveal, one "reveal ready" notice."""

from functools import partial

import pytest
from django.core import mail

from notifications.models import SendLog
from prompts.models import Answer, DailyPrompt
from prompts.notices import NoticeKind
from prompts.services import submit_answer

from ..factories import make_couple, make_day, make_prompt, make_user
from ..races import race

ROUNDS = 20

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_reveals_once_when_both_answer_at_once():
    prompt = make_prompt()
    for n in range(ROUNDS):
        alice = make_user(f"alice{n}@example.com", "Alice")
        bob = make_user(f"bob{n}@example.com", "Bob")
        day = make_day(make_couple(alice, bob), prompt=prompt)
        mail.outbox.clear()
        race(
            partial(submit_answer, daily_prompt=day, user=alice, text="from alice"),
            partial(submit_answer, daily_prompt=day, user=bob, text="from bob"),
        )
        day.refresh_from_db()
        assert day.revealed_at is not None
        assert Answer.objects.filter(daily_prompt=day).count() == 2
        assert SendLog.objects.filter(kind=NoticeKind.REVEAL_READY, key=str(day.pk), sent_at__isnull=False).count() == 1
        assert len(mail.outbox) == 1, [m.to for m in mail.outbox]
        first = Answer.objects.filter(daily_prompt=day).order_by("created_at").first()
        assert first is not None
        assert mail.outbox[0].to == [first.user.email]


def test_it_gives_both_partners_the_same_prompt_when_they_open_today_at_once():
    from prompts.services import ensure_daily_prompt

    for n in range(3):
        make_prompt(key=f"p{n}")
    for n in range(ROUNDS):
        couple = make_couple(make_user(f"x{n}@example.com", "X"), make_user(f"y{n}@example.com", "Y"))
        first, second = race(partial(ensure_daily_prompt, couple=couple), partial(ensure_daily_prompt, couple=couple))
        assert first.pk == second.pk, (first, second)
        assert DailyPrompt.objects.filter(couple=couple).count() == 1
