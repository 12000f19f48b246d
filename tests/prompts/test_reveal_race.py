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
from ..races import TRIALS, Tally, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_reveals_once_when_both_answer_at_once():
    prompt = make_prompt()
    answers, reveals, notices = Tally("simultaneous answers"), Tally("reveal"), Tally("reveal-ready notice")
    for n in range(TRIALS):
        alice = make_user(f"alice{n}@example.com", "Alice")
        bob = make_user(f"bob{n}@example.com", "Bob")
        day = make_day(make_couple(alice, bob), prompt=prompt)
        mail.outbox.clear()
        race(
            partial(submit_answer, daily_prompt=day, user=alice, text="from alice"),
            partial(submit_answer, daily_prompt=day, user=bob, text="from bob"),
        )
        day.refresh_from_db()
        answers.add(expected=2, found=Answer.objects.filter(daily_prompt=day).count())
        reveals.add(expected=1, found=int(day.revealed_at is not None))
        notices.add(expected=1, found=len(mail.outbox))
        assert SendLog.objects.filter(kind=NoticeKind.REVEAL_READY, key=str(day.pk), sent_at__isnull=False).count() == 1
        first = Answer.objects.filter(daily_prompt=day).order_by("created_at").first()
        assert first is not None
        assert [m.to for m in mail.outbox] == [[first.user.email]]
    for tally in (answers, reveals, notices):
        tally.assert_clean()


def test_it_gives_both_partners_the_same_prompt_when_they_open_today_at_once():
    from prompts.services import ensure_daily_prompt

    for n in range(3):
        make_prompt(key=f"p{n}")
    for n in range(TRIALS):
        couple = make_couple(make_user(f"x{n}@example.com", "X"), make_user(f"y{n}@example.com", "Y"))
        first, second = race(partial(ensure_daily_prompt, couple=couple), partial(ensure_daily_prompt, couple=couple))
        assert first.pk == second.pk, (first, second)
        assert DailyPrompt.objects.filter(couple=couple).count() == 1
