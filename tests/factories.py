"""Plain factory functions (djangoproject.com style): explicit, no magic."""

import html
from datetime import UTC, datetime, time

from allauth.account.models import EmailAddress

from accounts.models import User
from couples.models import Couple, Membership
from prompts.models import Answer, DailyPrompt, Prompt

PASSWORD = "a-long-passphrase-42"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def make_user(
    email: str, name: str, *, time_zone: str = "Europe/London", reminder: time = time(20, 0), **extra
) -> User:
    user = User.objects.create_user(
        email=email,
        password=PASSWORD,
        display_name=name,
        time_zone=time_zone,
        reminder_time=reminder,
        **extra,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_couple(first: User, second: User, *, time_zone: str | None = None) -> Couple:
    couple = Couple.objects.create(time_zone=time_zone or first.time_zone)
    Membership.objects.create(couple=couple, user=first, seat=1)
    Membership.objects.create(couple=couple, user=second, seat=2)
    return couple


def make_couples(count: int, prefix: str) -> list[User]:
    """`count` couples (ann and ben, numbered), their members in pairs, in order."""
    users = [make_user(f"{prefix}{n}-{who}@example.com", who.title()) for n in range(count) for who in ("ann", "ben")]
    for n in range(0, len(users), 2):
        make_couple(users[n], users[n + 1])
    return users


def signed_in(user: User):
    """A test client signed in as `user`."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def make_prompt(key: str = "test-prompt", text: str = "What made you smile today?", **extra) -> Prompt:
    fields = {"family": "check_in", "depth": "light", "pillar": "play", **extra}
    return Prompt.objects.create(key=key, text=text, **fields)


def make_day(couple: Couple, *, date=None, prompt: Prompt | None = None) -> DailyPrompt:
    prompt = prompt or Prompt.objects.first() or make_prompt()
    return DailyPrompt.objects.create(couple=couple, date=date or couple.local_date(), prompt=prompt)


def make_answer(day: DailyPrompt, user: User, text: str) -> Answer:
    return Answer.objects.create(daily_prompt=day, user=user, text=text)


def message_of(response) -> str:
    """The messages (django.contrib.messages) a response's request left, as one line."""
    from django.contrib.messages import get_messages

    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def text_of(response) -> str:
    """The response body with HTML entities resolved, for plain-text assertions."""
    return html.unescape(response.content.decode())


def make_attempt(user: User, slug: str, answers: dict[str, str], *, shared_with: Couple | None = None, when=None):
    """A saved assessment result, scored from `answers` as the view would."""
    from django.utils import timezone

    from assessments.definitions import get
    from assessments.models import Attempt
    from assessments.scoring import score

    assessment = get(slug)
    assert assessment is not None, slug
    return Attempt.objects.create(
        user=user,
        assessment=slug,
        answers=answers,
        scores=score(assessment, answers).scores,
        created_at=when or timezone.now(),
        shared_with=shared_with,
        shared_at=timezone.now() if shared_with else None,
    )


def make_ritual(couple: Couple, *, state: str = "active", proposed_by: User | None = None, **extra):
    """A ritual (active unless told), with both partners' reminders scheduled when active."""
    from datetime import date

    from django.utils import timezone

    from rituals.models import Ritual
    from rituals.services import reschedule_reminders

    fields = {
        "title": "Evening walk",
        "instructions": "Walk around the block together.",
        "pillar": "play",
        "rrule": "FREQ=DAILY",
        "start_time": time(19, 30),
        "duration_minutes": 20,
        "starts_on": date(2026, 1, 1),
        **extra,
    }
    ritual = Ritual.objects.create(couple=couple, state=state, proposed_by=proposed_by or couple.members[0], **fields)
    if state == "active":
        reschedule_reminders(ritual=ritual, now=timezone.now())
    return ritual
