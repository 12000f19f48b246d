"""Writes for rituals that span rows or must hold when both partners act at once."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from couples.models import Couple

from .models import (
    CalendarFeed,
    Completion,
    Outcome,
    Rating,
    Reminder,
    Ritual,
    RitualState,
    forget_active_rituals,
    new_feed_token,
)


class NotAllowed(Exception):
    """The ritual is not in a state where this person may do this (someone else just
    did, or it is not theirs to do)."""


def propose_ritual(*, couple: Couple, user, fields: dict, now: datetime | None = None) -> Ritual:
    """A new ritual, waiting for the partner's yes."""
    now = now or timezone.now()
    return Ritual.objects.create(
        couple=couple, proposed_by=user, state=RitualState.PROPOSED, created_at=now, updated_at=now, **fields
    )


def _transition(ritual: Ritual, *, allowed_from: set[str], to: str, now: datetime, **extra) -> Ritual:
    """Move the ritual to `to` only if it is still in one of `allowed_from`: one
    conditional UPDATE, so two partners pressing at once change it once."""
    changed = Ritual.objects.filter(pk=ritual.pk, state__in=allowed_from).update(state=to, updated_at=now, **extra)
    if not changed:
        raise NotAllowed
    forget_active_rituals(ritual.couple_id)  # an UPDATE sends no post_save
    ritual.state = to
    for name, value in extra.items():
        setattr(ritual, name, value)
    return ritual


@transaction.atomic
def accept_ritual(*, ritual: Ritual, user, now: datetime | None = None) -> Ritual:
    now = now or timezone.now()
    if not ritual.awaits_answer_from(user):
        raise NotAllowed
    _transition(ritual, allowed_from={RitualState.PROPOSED}, to=RitualState.ACTIVE, now=now, decline_note="")
    reschedule_reminders(ritual=ritual, now=now)
    return ritual


def decline_ritual(*, ritual: Ritual, user, note: str = "", now: datetime | None = None) -> Ritual:
    now = now or timezone.now()
    if not ritual.awaits_answer_from(user):
        raise NotAllowed
    return _transition(ritual, allowed_from={RitualState.PROPOSED}, to=RitualState.DECLINED, now=now, decline_note=note)


@transaction.atomic
def pause_ritual(*, ritual: Ritual, now: datetime | None = None) -> Ritual:
    now = now or timezone.now()
    _transition(ritual, allowed_from={RitualState.ACTIVE}, to=RitualState.PAUSED, now=now)
    reschedule_reminders(ritual=ritual, now=now)
    return ritual


@transaction.atomic
def resume_ritual(*, ritual: Ritual, now: datetime | None = None) -> Ritual:
    now = now or timezone.now()
    _transition(ritual, allowed_from={RitualState.PAUSED}, to=RitualState.ACTIVE, now=now)
    reschedule_reminders(ritual=ritual, now=now)
    return ritual


@transaction.atomic
def update_ritual(*, ritual: Ritual, user, fields: dict, now: datetime | None = None) -> Ritual:
    """Change what and when. The couple agreed to the ritual already, so an edit by
    either partner applies at once. A proposal edited by the partner it awaits, or a
    declined one edited by either, becomes this person's proposal: the other says yes
    to the new version, so nobody accepts their own change.

    The row is locked and only the edited fields are written, so a pause or accept the
    partner made since this person opened the form stands; the state changes only
    through `_transition`."""
    now = now or timezone.now()
    current = Ritual.objects.select_for_update().only("state", "proposed_by", "decline_note").get(pk=ritual.pk)
    ritual.state, ritual.proposed_by_id, ritual.decline_note = (
        current.state,
        current.proposed_by_id,
        current.decline_note,
    )
    for name, value in fields.items():
        setattr(ritual, name, value)
    ritual.updated_at = now
    ritual.save(update_fields=[*fields, "updated_at"])
    if ritual.state == RitualState.DECLINED or ritual.awaits_answer_from(user):
        _transition(
            ritual,
            allowed_from={RitualState.DECLINED, RitualState.PROPOSED},
            to=RitualState.PROPOSED,
            now=now,
            proposed_by=user,
            decline_note="",
        )
    reschedule_reminders(ritual=ritual, now=now)
    return ritual


def delete_ritual(*, ritual: Ritual) -> None:
    ritual.delete()


def reschedule_reminders(*, ritual: Ritual, now: datetime) -> None:
    """Both partners' reminders for this ritual point at its next occurrence after
    `now` (or at nothing, when it is not active). Rows are made on first need."""
    existing = {reminder.user_id: reminder for reminder in Reminder.objects.filter(ritual=ritual)}
    for member in ritual.couple.members:
        reminder = existing.get(member.pk) or Reminder(ritual=ritual, user=member)
        reminder.schedule(ritual, after=now)
        reminder.save()


def reschedule_couple(*, couple: Couple, now: datetime | None = None) -> None:
    """After the couple's time zone changes: every reminder follows the local times in
    the new zone (stored instants were computed in the old one)."""
    now = now or timezone.now()
    for ritual in Ritual.objects.of_couple(couple).active():
        ritual.couple = couple
        reschedule_reminders(ritual=ritual, now=now)


def set_reminder(*, ritual: Ritual, user, minutes_before: int | None, now: datetime | None = None) -> Reminder:
    """How long before each occurrence this person is reminded (None: not at all)."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder, _ = Reminder.objects.select_for_update().get_or_create(ritual=ritual, user=user)
        reminder.minutes_before = minutes_before
        reminder.schedule(ritual, after=now)
        reminder.save()
    return reminder


def mark_occurrence(
    *, ritual: Ritual, occurs_at: datetime, user, outcome: str, now: datetime | None = None
) -> Completion:
    """Mark an occurrence done or skipped. Either partner may; both marking at once
    leave exactly one row (the unique constraint; update_or_create retries the read
    when its insert loses). A later mark changes the outcome, it never adds a row,
    except that one rated as done stays done: the ratings belong to it."""
    now = now or timezone.now()
    if outcome not in Outcome.values:
        raise NotAllowed
    with transaction.atomic():
        existing = Completion.objects.select_for_update().filter(ritual=ritual, occurs_at=occurs_at).first()
        if existing is not None and outcome != Outcome.DONE and existing.ratings.exists():
            raise NotAllowed
        completion, _ = Completion.objects.update_or_create(
            ritual=ritual,
            occurs_at=occurs_at,
            defaults={"outcome": outcome, "marked_by": user, "marked_at": now},
        )
    return completion


def rate_closeness(*, completion: Completion, user, score: int, now: datetime | None = None) -> Rating:
    """One rating per person per done occurrence; rating again changes it until the
    partner has rated too. Then both are shown, and that reveal is final."""
    now = now or timezone.now()
    if not 1 <= score <= 5:
        raise NotAllowed
    with transaction.atomic():
        # Locked, so a skip or the partner's rating cannot cross this one.
        current = Completion.objects.select_for_update().filter(pk=completion.pk).first()
        if current is None or current.outcome != Outcome.DONE:
            raise NotAllowed
        raters = set(Rating.objects.filter(completion=current).values_list("user_id", flat=True))
        if user.pk in raters and len(raters) > 1:
            raise NotAllowed
        rating, _ = Rating.objects.update_or_create(
            completion=current,
            user=user,
            defaults={"score": score},
            create_defaults={"score": score, "created_at": now},
        )
    return rating


def regenerate_feed_token(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    return feed
