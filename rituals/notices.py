"""The ritual reminder, a kind of notice registered with notifications/ in
RitualsConfig.ready().

Its key says everything needed to judge it: "<ritual id>:<occurrence start, UTC>",
e.g. "42:20260308T073000Z". So `ritual_reminder_notices` decides for a whole batch in
three queries whether each (person, key) is still worth sending: the ritual is active,
the person is still in its couple, the rule still has that occurrence, it has not
begun longer ago than the late limit, and nobody has marked it done or skipped yet.
The notice names the ritual and its time, never a rating or a note.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from couples.models import Couple
from notifications.registry import Kind, Notice, Request

from .models import Completion, Ritual, RitualState
from .recurrence import instant_from_key, instant_key

# A reminder may still go out this long after its occurrence began ("it's on now").
STARTED_LATE_LIMIT = timedelta(minutes=10)


class NoticeKind(models.TextChoices):
    RITUAL_REMINDER = "ritual_reminder", _("Ritual reminder")


def reminder_key(ritual_id: int, starts_at: datetime) -> str:
    return f"{ritual_id}:{instant_key(starts_at)}"


def parse_key(key: str | None) -> tuple[int, datetime] | None:
    if not key or ":" not in key:
        return None
    ritual_id, _, instant = key.partition(":")
    starts_at = instant_from_key(instant)
    if not ritual_id.isdigit() or starts_at is None:
        return None
    return int(ritual_id), starts_at


def _marked(candidates: list[tuple[Request, Ritual, datetime, str]]) -> set[tuple[int, datetime]]:
    """The (ritual, occurrence) pairs among these already marked done or skipped (1 query)."""
    if not candidates:
        return set()
    found = Completion.objects.filter(
        ritual_id__in={ritual.pk for _, ritual, _, _ in candidates},
        occurs_at__in={starts_at for _, _, starts_at, _ in candidates},
    )
    return set(found.values_list("ritual_id", "occurs_at"))


def ritual_reminder_notices(requests: Sequence[Request], now: datetime) -> list[Notice]:
    """Still worth sending: see the module's docstring (3 queries)."""
    parsed = {request: parse_key(request.key) for request in requests}
    ritual_ids = {found[0] for found in parsed.values() if found}
    rituals = {ritual.pk: ritual for ritual in Ritual.objects.filter(pk__in=ritual_ids, state=RitualState.ACTIVE)}
    paired = Couple.objects.partner_names_for({request.user.pk for request in requests})
    candidates: list[tuple[Request, Ritual, datetime, str]] = []
    for request in requests:
        found = parsed[request]
        if found is None or request.user.pk not in paired:
            continue
        ritual_id, starts_at = found
        ritual = rituals.get(ritual_id)
        couple, partner_name = paired[request.user.pk]
        if ritual is None or ritual.couple_id != couple.pk:
            continue
        if now > starts_at + STARTED_LATE_LIMIT:
            continue
        ritual.couple = couple  # its id and time zone are all the rule needs
        if not ritual.pattern().occurs_at(starts_at):
            continue  # the schedule changed since this was claimed
        candidates.append((request, ritual, starts_at, partner_name))
    marked = _marked(candidates)
    notices = []
    for request, ritual, starts_at, partner_name in candidates:
        if (ritual.pk, starts_at) in marked:
            continue  # done or skipped already, perhaps ahead of time
        local = starts_at.astimezone(ritual.couple.zone)
        notices.append(
            Notice(
                user=request.user,
                key=request.key or "",
                slots={
                    "name": request.user.name,
                    "partner_name": partner_name,
                    "title": ritual.title,
                    "time": local.strftime("%H:%M"),
                    "ritual_url": settings.SITE_URL
                    + reverse("rituals:occurrence", args=[ritual.pk, instant_key(starts_at)]),
                },
            )
        )
    return notices


RITUAL_REMINDER = Kind(
    name=NoticeKind.RITUAL_REMINDER,
    template="rituals/email/ritual_reminder",
    notices=ritual_reminder_notices,
    late_limit=timedelta(minutes=settings.REMINDER_LATE_LIMIT_MINUTES),
    slot_names=("name", "partner_name", "title", "time", "ritual_url"),
    label=NoticeKind.RITUAL_REMINDER.label,
    help_text=_("Before a ritual you two have planned, unless it is marked done."),
)
