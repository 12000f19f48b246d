"""Everything of a person's, as one plain structure: what /settings/ lets them download.

Read only through the apps' visibility rules: answers through Answer.objects.visible_to
(their own, and a partner's only on a revealed day of their current couple); reactions
and replies: their own, and a partner's only on a day whose partner answer is in the
export; notes through Note.objects.of (their own: a partner's note never), results
through Attempt.objects.visible_to, evening answers through EveningAnswer.objects.visible_to,
ritual ratings through Completion.ratings_visible_to.
A partner's unrevealed answer, unshared result or unmatched rating is never in it.
"""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from assessments.definitions import get as get_assessment
from assessments.models import Attempt
from couples.models import Couple
from prompts.evenings import get_set
from prompts.formats import summary
from prompts.models import Answer, EveningAnswer, Note, Reaction
from rituals.models import Completion, Ritual

FORMAT_VERSION = 1


def export_for(user: User) -> dict[str, Any]:
    couple = Couple.objects.current_for(user)
    partner = couple.partner_of(user) if couple else None
    return {
        "format": "attune-export",
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "name": user.display_name,
            "time_zone": user.time_zone,
            "daily_reminder": user.reminder_enabled,
            "reminder_time": user.reminder_time.strftime("%H:%M"),
            "joined": user.date_joined.isoformat(),
        },
        "couple": (
            {
                "partner": partner.name if partner else None,
                "paired_since": couple.created_at.isoformat(),
                "time_zone": couple.time_zone,
            }
            if couple
            else None
        ),
        "answers": _answers(user),
        "notes": _notes(user),
        "evenings": _evenings(user),
        "rituals": _rituals(user, couple),
        "assessments": _assessments(user, couple),
    }


def _answers(user: User) -> list[dict[str, Any]]:
    answers = (
        Answer.objects.visible_to(user)
        .select_related("daily_prompt__prompt", "user")
        .order_by("daily_prompt__date", "daily_prompt_id", "created_at")
    )
    days: dict[int, dict[str, Any]] = {}
    for answer in answers:
        day = answer.daily_prompt
        entry = days.setdefault(
            day.pk, {"date": day.date.isoformat(), "question": day.prompt.text, "yours": None, "partners": None}
        )
        # In words for every format; a structured answer's values beside them.
        if answer.user_id == user.pk:
            entry["yours"] = summary(day.prompt, answer)
            if answer.data:
                entry["your_data"] = answer.data
        else:
            entry["partners"] = {"name": answer.user.name, "text": summary(day.prompt, answer)}
            if answer.data:
                entry["partners"]["data"] = answer.data
    for entry in days.values():
        entry["your_response"] = entry["partners_response"] = None
    # A partner's reaction and reply only where their answer is in the export (revealed).
    revealed = [pk for pk, entry in days.items() if entry["partners"] is not None]
    responses = Reaction.objects.filter(Q(user=user) | Q(daily_prompt_id__in=revealed)).filter(daily_prompt_id__in=days)
    for reaction in responses:
        response = {"reaction": reaction.get_kind_display() if reaction.kind else None, "reply": reaction.reply or None}
        if reaction.user_id == user.pk:
            days[reaction.daily_prompt_id]["your_response"] = response
        elif reaction.daily_prompt_id in revealed:
            days[reaction.daily_prompt_id]["partners_response"] = response
    return list(days.values())


def _notes(user: User) -> list[dict[str, Any]]:
    """The person's own private notes; never anyone else's."""
    notes = Note.objects.of(user).select_related("daily_prompt__prompt").order_by("daily_prompt__date", "pk")
    return [
        {"date": note.daily_prompt.date.isoformat(), "question": note.daily_prompt.prompt.text, "text": note.text}
        for note in notes
    ]


def _evenings(user: User) -> list[dict[str, Any]]:
    """Evening questions answered, through EveningAnswer.objects.visible_to."""
    answers = (
        EveningAnswer.objects.visible_to(user)
        .select_related("evening", "user")
        .order_by("evening__started_at", "evening_id", "number", "created_at")
    )
    found: dict[tuple[int, int], dict[str, Any]] = {}
    for answer in answers:
        evening_set = get_set(answer.evening.set_slug)
        question = evening_set.question(answer.number) if evening_set else None
        entry = found.setdefault(
            (answer.evening_id, answer.number),
            {
                "set": evening_set.title if evening_set else answer.evening.set_slug,
                "question": question.text if question else None,
                "yours": None,
                "partners": None,
            },
        )
        if answer.user_id == user.pk:
            entry["yours"] = answer.text
        else:
            entry["partners"] = {"name": answer.user.name, "text": answer.text}
    return list(found.values())


def _rituals(user: User, couple: Couple | None) -> list[dict[str, Any]]:
    if couple is None:
        return []
    found = []
    rituals = Ritual.objects.filter(couple=couple).order_by("created_at")
    completions = Completion.objects.filter(ritual__in=rituals).prefetch_related("ratings").order_by("occurs_at")
    by_ritual: dict[int, list[Completion]] = {}
    for completion in completions:
        by_ritual.setdefault(completion.ritual_id, []).append(completion)
    for ritual in rituals:
        done = []
        for completion in by_ritual.get(ritual.pk, []):
            mine, theirs = completion.ratings_visible_to(user)
            done.append(
                {
                    "when": completion.occurs_at.isoformat(),
                    "outcome": completion.outcome,
                    "your_rating": mine.score if mine else None,
                    "partners_rating": theirs.score if theirs else None,
                }
            )
        found.append(
            {
                "name": ritual.title,
                "how": ritual.instructions,
                "state": ritual.state,
                "schedule": ritual.rrule,
                "at": ritual.start_time.strftime("%H:%M"),
                "minutes": ritual.duration_minutes,
                "starting": ritual.starts_on.isoformat(),
                "ending": ritual.ends_on.isoformat() if ritual.ends_on else None,
                "done": done,
            }
        )
    return found


def _assessments(user: User, couple: Couple | None) -> list[dict[str, Any]]:
    found = []
    for attempt in Attempt.objects.visible_to(user, couple).select_related("user").order_by("created_at"):
        assessment = get_assessment(attempt.assessment)
        found.append(
            {
                "assessment": assessment.title if assessment else attempt.assessment,
                "whose": "yours" if attempt.user_id == user.pk else attempt.user.name,
                "taken": attempt.created_at.isoformat(),
                "scores": attempt.scores,
                "answers": attempt.answers if attempt.user_id == user.pk else None,
                "shared": attempt.shared_with_id is not None,
            }
        )
    return found
