"""Writes for the daily loop: today's prompt, answers, the reveal, the couple's own questions."""

import datetime as dt
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.safety import follow_ups_paused_for, mentions_crisis
from core import clock
from couples.models import Membership
from notifications import delivery
from rituals.models import Occurrence, Ritual, active_cache_key

from . import tasks
from .evenings import EveningSet, both_answered, current_number
from .follow_ups import for_day, repair_steps
from .models import (
    Answer,
    DailyPrompt,
    Depth,
    Evening,
    EveningAnswer,
    Family,
    Favourite,
    FollowUp,
    Note,
    Nudge,
    Pillar,
    Prompt,
    PromptPreferences,
    PromptQueueEntry,
    Reaction,
    TodayState,
    written_words,
)
from .notices import NoticeKind
from .selection import choose_prompt, next_for


class AnswerLocked(Exception):
    """The day is revealed: answers no longer change."""


def ensure_daily_prompt(*, couple, now: datetime | None = None) -> DailyPrompt:
    """Today's prompt for the couple, chosen on first sight of the day.

    Both partners may arrive in the same instant: the unique (couple, date) constraint
    lets one insert win and the other read it back (get_or_create handles the race).
    The day is then remembered in the cache, which every later visit reads first.
    """
    now = now or timezone.now()
    day = couple.local_date(now)
    return _daily_prompt_as_remembered(couple, day, now, DailyPrompt.remembered_today(couple.pk, day))


def _daily_prompt_as_remembered(couple, day, now: datetime, remembered: DailyPrompt | None) -> DailyPrompt:
    """ensure_daily_prompt, given what the cache holds for the day (None: a miss)."""
    if remembered is not None:
        return remembered
    daily_prompt = DailyPrompt.objects.select_related("prompt").filter(couple=couple, date=day).first()
    if daily_prompt is None:
        prompt, queued = next_for(couple=couple)
        sent_by = queued.sent_by_id if queued else None
        daily_prompt, created = DailyPrompt.objects.select_related("prompt").get_or_create(
            couple=couple, date=day, defaults={"prompt": prompt, "sent_by_id": sent_by, "created_at": now}
        )
        if created and queued is not None:
            # Only the partner whose visit made the day uses the sent question up.
            PromptQueueEntry.objects.waiting().filter(pk=queued.pk).update(used_on=day)
    daily_prompt.remember_as_today()
    return daily_prompt


@dataclass(frozen=True)
class Today:
    """What /today/ reads from the cache besides the couple (read_today)."""

    day: DailyPrompt
    # Whether the user's "seen the reveal" mark is set already (DailyPrompt.remember_seen_by).
    seen: bool
    # The couple's rituals on the day, and the earlier days the user may still answer:
    # None unless the whole page was asked for.
    rituals: list[Occurrence] | None
    catch_up: list[DailyPrompt] | None


def today_cache_keys(
    *, couple_id: int, time_zone: str, user_id: int, whole_page: bool, now: datetime
) -> tuple[dt.date, dict[str, str]]:
    """The couple's date now, and the cache keys read_today reads for it."""
    day = clock.local_date(time_zone, now)
    keys = {
        "day": DailyPrompt.today_cache_key(couple_id, day),
        "seen": DailyPrompt.seen_cache_key(couple_id, day, user_id),
    }
    if whole_page:
        keys["rituals"] = active_cache_key(couple_id)
        keys["catch_up"] = DailyPrompt.catch_up_cache_key(user_id, couple_id, day)
    return day, keys


def read_today(
    *, couple, user, whole_page: bool, now: datetime | None = None, prefetched: dict[str, Any] | None = None
) -> Today:
    """ensure_daily_prompt, and in the same cache round trip (one get_many) whether
    `user` has seen the day's reveal, and for the whole page the couple's rituals on the
    day and the days to catch up on. Each entry the cache misses is read from the
    database and remembered by its own model, as Ritual.objects.occurring_on and
    DailyPrompt.remembered_catch_up do; keys and invalidation stay with the models.

    `prefetched`: what couple_required_prefetching read with the couple, by key. When
    it holds every key, there is no round trip of our own."""
    now = now or timezone.now()
    day, keys = today_cache_keys(
        couple_id=couple.pk, time_zone=couple.time_zone, user_id=user.pk, whole_page=whole_page, now=now
    )
    if prefetched and all(key in prefetched for key in keys.values()):
        remembered = {name: prefetched[key] for name, key in keys.items()}
    else:
        cached = cache.get_many(list(keys.values()))
        remembered = {name: cached.get(key) for name, key in keys.items()}
    daily_prompt = _daily_prompt_as_remembered(couple, day, now, remembered["day"])
    if not whole_page:
        return Today(day=daily_prompt, seen=bool(remembered["seen"]), rituals=None, catch_up=None)
    return Today(
        day=daily_prompt,
        seen=bool(remembered["seen"]),
        rituals=Ritual.objects.occurring_on_as_remembered(couple, day, remembered["rituals"]),
        catch_up=DailyPrompt.catch_up_as_remembered(remembered["catch_up"], user, couple, day),
    )


def submit_answer(
    *, daily_prompt: DailyPrompt, user, text: str, data: dict | None = None, now: datetime | None = None
) -> Answer:
    """Save (or replace) the user's answer; reveal the day when it is the second one.
    `data` is the structured part of the answer (prompts.formats), if its format has one.

    The day row is locked for the duration, so when both partners answer at once one
    waits for the other: both answers are kept, exactly one of them sees two answers and
    reveals the day, and "your reveal is ready" is queued once, after commit, for the
    partner who answered first. A scale day's reveal may ask for two repair questions on
    the next days (ask_repair_steps).
    """
    data = data or {}
    with transaction.atomic():
        day = DailyPrompt.objects.select_for_update().get(pk=daily_prompt.pk)
        # Read the clock once the lock is ours, so answer times follow commit order.
        now = now or timezone.now()
        if day.revealed_at is not None:
            raise AnswerLocked
        answer, created = Answer.objects.update_or_create(
            daily_prompt=day,
            user=user,
            defaults={"text": text, "data": data, "updated_at": now},
            create_defaults={"text": text, "data": data, "created_at": now, "updated_at": now},
        )
        first = Answer.objects.filter(daily_prompt=day).exclude(user=user).first()
        if first is not None:
            revealed = DailyPrompt.objects.filter(pk=day.pk, revealed_at=None).update(revealed_at=now)
            if revealed:
                # After a short grace: a partner still on the page sees the reveal
                # by the poll, and needs no email about it (see reveal_ready_notices).
                delivery.send_after_commit(
                    tasks.send_reveal_ready,
                    kind_name=NoticeKind.REVEAL_READY,
                    user_id=first.user_id,
                    key_id=day.pk,
                    countdown=settings.REVEAL_READY_GRACE_SECONDS,
                )
                transaction.on_commit(day.remember_revealed)
                if for_day(day, first, answer) == FollowUp.REPAIR and not _follow_ups_paused(answer, first, now=now):
                    ask_repair_steps(day=day, now=now)
        elif created:
            _tell_partner_of_answer(day=day, user=user)
    if created:
        # A day answered is no longer one to catch up on (for today's list: the day the
        # couple is on now).
        DailyPrompt.forget_catch_up(user.pk, day.couple_id, day.couple.local_date(now))
    return answer


def _follow_ups_paused(answer: Answer, first: Answer, *, now: datetime) -> bool:
    """No repair days while either partner's follow-ups are paused (accounts.safety),
    nor when this very answer asks for help: the sheet comes first, not more questions."""
    words = written_words(answer.text, answer.data)
    return mentions_crisis(words) or follow_ups_paused_for([answer.user_id, first.user_id], now=now)


def _tell_partner_of_answer(*, day: DailyPrompt, user) -> None:
    """The first answer of the day: after a grace, the partner learns that (never what)
    it is, unless they answered meanwhile (see partner_answered_notices)."""
    partner_id = (
        Membership.objects.filter(couple_id=day.couple_id, active=True)
        .exclude(user=user)
        .values_list("user_id", flat=True)
        .first()
    )
    if partner_id is not None:
        delivery.send_after_commit(
            tasks.send_partner_answered,
            kind_name=NoticeKind.PARTNER_ANSWERED,
            user_id=partner_id,
            key_id=day.pk,
            countdown=settings.PARTNER_ANSWERED_GRACE_SECONDS,
        )


def ask_repair_steps(*, day: DailyPrompt, now: datetime) -> list[DailyPrompt]:
    """The two repair questions after `day`, as the couple's questions on the next two
    dates that have none yet (tomorrow and the day after, in the couple's time zone)."""
    couple = day.couple
    tomorrow = couple.local_date(now) + timedelta(days=1)
    taken = set(DailyPrompt.objects.filter(couple=couple, date__gte=tomorrow).values_list("date", flat=True))
    dates = [date for date in (tomorrow + timedelta(days=n) for n in range(4)) if date not in taken][:2]
    steps = []
    for date, text in zip(dates, repair_steps(day.pk), strict=False):
        prompt = Prompt.create_own(
            couple=couple, text=text, kind="repair", family=Family.NEEDS, depth=Depth.DEEPER, pillar=Pillar.REPAIR
        )
        steps.append(
            DailyPrompt.objects.create(couple=couple, date=date, prompt=prompt, follow_up_of=day, created_at=now)
        )
    return steps


def save_prompt_preferences(*, couple, excluded_families: list[str], deepest: str) -> PromptPreferences:
    """Either partner's choice, for both; two saves at once leave one row (the last)."""
    preferences, _ = PromptPreferences.objects.update_or_create(
        couple=couple,
        defaults={"excluded_families": sorted(excluded_families), "deepest": deepest, "updated_at": timezone.now()},
    )
    return preferences


# A person may have this many questions waiting: enough for a week of surprises.
MAX_QUEUED_PER_PERSON = 7


class QueueFull(Exception):
    pass


def _lock_waiting(*, couple, user) -> list[PromptQueueEntry]:
    """The couple's waiting questions, locked until the transaction ends, so that two
    sends at once count each other; QueueFull if `user` has the most they may have."""
    waiting = list(PromptQueueEntry.objects.select_for_update().waiting().filter(couple=couple))
    if sum(entry.sent_by_id == user.pk for entry in waiting) >= MAX_QUEUED_PER_PERSON:
        raise QueueFull
    return waiting


def send_question(*, couple, user, text: str) -> PromptQueueEntry:
    """A question of one's own for the couple: asked on the next new day, after any sent before it."""
    with transaction.atomic():
        _lock_waiting(couple=couple, user=user)
        prompt = Prompt.create_own(
            couple=couple,
            text=text,
            kind="own",
            family=Family.CURIOSITY,
            depth=Depth.LIGHT,
            pillar=Pillar.ATTUNED_COMMUNICATION,
        )
        return PromptQueueEntry.objects.create(couple=couple, prompt=prompt, sent_by=user)


def withdraw_question(*, entry: PromptQueueEntry) -> None:
    """Take back a sent question that has not been asked yet."""
    with transaction.atomic():
        if PromptQueueEntry.objects.waiting().filter(pk=entry.pk).delete()[0]:
            Prompt.objects.filter(pk=entry.prompt_id, couple=entry.couple_id).delete()


# --- Turning toward: reactions, replies, notes, nudges ---------------------------------


class NotRevealed(Exception):
    """Responding to an answer the user may not see (yet)."""


def _keep_or_drop(reaction: Reaction) -> Reaction | None:
    """A reaction with neither a word nor a reply is taken back: no row."""
    if reaction.is_empty:
        reaction.delete()
        return None
    return reaction


def set_reaction(*, daily_prompt: DailyPrompt, user, kind: str) -> Reaction | None:
    """React to the partner's answer on a day revealed to `user` ("" takes it back).
    Sending the same reaction twice leaves one row, unchanged."""
    return _respond(daily_prompt=daily_prompt, user=user, kind=kind)


def save_reply(*, daily_prompt: DailyPrompt, user, text: str) -> Reaction | None:
    """Reply to the partner's answer on a day revealed to `user` ("" takes it back)."""
    return _respond(daily_prompt=daily_prompt, user=user, reply=text)


def _respond(*, daily_prompt: DailyPrompt, user, **fields: str) -> Reaction | None:
    """Set a reaction's or a reply's field on `user`'s one response to the day."""
    if not daily_prompt.is_revealed_to(user):
        raise NotRevealed
    now = timezone.now()
    with transaction.atomic():
        reaction, _ = Reaction.objects.update_or_create(
            daily_prompt=daily_prompt,
            user=user,
            defaults={**fields, "updated_at": now},
            create_defaults={**fields, "created_at": now, "updated_at": now},
        )
        return _keep_or_drop(reaction)


def save_note(*, daily_prompt: DailyPrompt, user, text: str) -> Note | None:
    """The user's private note on a day of their couple ("" deletes it)."""
    if not text:
        Note.objects.of(user).filter(daily_prompt=daily_prompt).delete()
        return None
    note, _ = Note.objects.update_or_create(
        daily_prompt=daily_prompt, user=user, defaults={"text": text, "updated_at": timezone.now()}
    )
    return note


# Tries per person per hour, counted in the shared cache whatever the outcome: a loop
# of POSTs stops here before it reaches the database, on every web process alike.
NUDGE_TRIES_PER_HOUR = 5


class NudgeRefused(Exception):
    pass


class NudgeNotNow(NudgeRefused):
    """Only while waiting: the user has answered, the partner has not."""


class NudgedAlready(NudgeRefused):
    """One nudge per person per day."""


class NudgeTooOften(NudgeRefused):
    """Too many tries in the last hour."""


def _nudge_try_allowed(user) -> bool:
    key = f"attune:nudge-tries:{user.pk}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        tries = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first try again
        cache.add(key, 1, timeout=60 * 60)
        tries = 1
    return tries <= NUDGE_TRIES_PER_HOUR


def send_nudge(*, daily_prompt: DailyPrompt, user, partner) -> Nudge:
    """A gentle "your turn" to `partner`: once per day, only while `user` waits. The
    notice goes out after commit, through the partner's channels and quiet hours, and
    carries the question, never an answer (prompts.notices.nudge_notices)."""
    if not _nudge_try_allowed(user):
        raise NudgeTooOften
    day = DailyPrompt.objects.get(pk=daily_prompt.pk)  # as it is now, not as first read
    if day.state_for(user) != TodayState.WAITING:
        raise NudgeNotNow
    with transaction.atomic():
        nudge, created = Nudge.objects.get_or_create(daily_prompt=day, sender=user)
        if not created:
            raise NudgedAlready
        delivery.send_after_commit(tasks.send_nudge, kind_name=NoticeKind.NUDGE, user_id=partner.pk, key_id=day.pk)
    return nudge


class SwapRefused(Exception):
    """Today's question stays: the reason is one of SwapRefused's class attributes."""

    ANSWERED = "answered"
    SWAPPED = "swapped"
    SENT = "sent"
    STALE = "stale"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def swap_daily_prompt(
    *, couple, daily_prompt: DailyPrompt, prompt_id: int | None = None, now: datetime | None = None
) -> DailyPrompt:
    """Another question for today, once a day, while neither partner has answered.

    The day row is locked (as submit_answer locks it), so a swap and an answer, or two
    swaps, happen one after the other: the second finds the day answered or swapped
    and is refused. `prompt_id` is the question the person was looking at: a replayed
    or stale form names the old one and changes nothing. After commit the new day
    replaces /today/'s cached copy, so both partners see the new question at once.
    """
    with transaction.atomic():
        day = DailyPrompt.objects.select_for_update().get(pk=daily_prompt.pk, couple=couple)
        if day.swapped_at is not None:
            raise SwapRefused(SwapRefused.SWAPPED)
        if day.sent_by_id is not None:
            raise SwapRefused(SwapRefused.SENT)
        if prompt_id is not None and prompt_id != day.prompt_id:
            raise SwapRefused(SwapRefused.STALE)
        if Answer.objects.filter(daily_prompt=day).exists():
            raise SwapRefused(SwapRefused.ANSWERED)
        new_prompt = choose_prompt(couple=couple, swap_for=day)
        day.swapped_from_id, day.prompt = day.prompt_id, new_prompt
        day.swapped_at = now or timezone.now()
        day.save(update_fields=["prompt", "swapped_from", "swapped_at"])
        # Dropped now and replaced after commit: a visit in between may put the old
        # day back, and the replacement overwrites it.
        day.forget_as_today()
        transaction.on_commit(day.replace_as_today)
    return day


def set_favourite(*, daily_prompt: DailyPrompt, user, on: bool) -> None:
    """Star or unstar a day's reveal for `user`; the same request twice changes nothing more.
    Only a day revealed to them has a reveal to star (NotRevealed otherwise)."""
    if not daily_prompt.is_revealed_to(user):
        raise NotRevealed
    if on:
        Favourite.objects.get_or_create(daily_prompt=daily_prompt, user=user)
    else:
        Favourite.objects.filter(daily_prompt=daily_prompt, user=user).delete()


class EveningOutOfStep(Exception):
    """An answer to a question that is not the evening's current one (revealed already,
    or not reached yet)."""


def start_evening(*, couple, user, evening_set: EveningSet) -> Evening:
    """The couple's evening with this set: begun by the first to start it, the same one after."""
    evening, _ = Evening.objects.get_or_create(couple=couple, set_slug=evening_set.slug, defaults={"started_by": user})
    return evening


def answer_evening_question(
    *, evening: Evening, evening_set: EveningSet, user, number: int, text: str, now: datetime | None = None
) -> EveningAnswer:
    """Save (or replace) `user`'s answer to the evening's current question. The evening
    row is locked, so when both answer at once both are kept and the next question is
    the same for both; an answer to any other question changes nothing."""
    with transaction.atomic():
        Evening.objects.select_for_update().get(pk=evening.pk)
        now = now or timezone.now()
        if number != current_number(evening_set, both_answered(evening)):
            raise EveningOutOfStep
        answer, _ = EveningAnswer.objects.update_or_create(
            evening=evening,
            number=number,
            user=user,
            defaults={"text": text, "updated_at": now},
            create_defaults={"text": text, "created_at": now, "updated_at": now},
        )
    return answer


class AlreadyWaiting(Exception):
    """The question is in the couple's queue already."""


def send_library_question(*, couple, user, prompt: Prompt) -> PromptQueueEntry:
    """A question from the library, sent by `user` to the couple's queue: asked on the
    next new day after any sent before it, shown as theirs, like one of their own."""
    with transaction.atomic():
        waiting = _lock_waiting(couple=couple, user=user)
        if any(entry.prompt_id == prompt.pk for entry in waiting):
            raise AlreadyWaiting
        return PromptQueueEntry.objects.create(couple=couple, prompt=prompt, sent_by=user)
