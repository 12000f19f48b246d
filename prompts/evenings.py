"""Question sets for an evening together (prompts/data/evenings.toml): twelve questions,
light to vulnerable, taken one at a time. The sets are data; a couple's progress through
one is an Evening with its EveningAnswers (prompts.models)."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

from .library import DATA_DIR, KEY_PATTERN, TEXT_MAX_LENGTH, LibraryError, normalise
from .models import DEPTH_ORDER, Depth, Evening, EveningAnswer

EVENINGS_FILE = DATA_DIR / "evenings.toml"
QUESTIONS_PER_SET = 12
MIN_SETS = 3


@dataclass(frozen=True)
class Question:
    number: int  # 1 to QUESTIONS_PER_SET
    text: str
    depth: str


@dataclass(frozen=True)
class EveningSet:
    slug: str
    title: str
    summary: str
    questions: tuple[Question, ...]

    def question(self, number: int) -> Question | None:
        return self.questions[number - 1] if 1 <= number <= len(self.questions) else None


def read_sets(path: Path = EVENINGS_FILE) -> tuple[str, dict[str, EveningSet]]:
    """The research note and the sets by slug, checked: at least MIN_SETS sets of
    QUESTIONS_PER_SET questions, depth never falling within a set, from light to
    vulnerable, and no question twice. Raises LibraryError saying what is wrong."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    sets: dict[str, EveningSet] = {}
    seen: set[str] = set()
    for entry in data.get("set", []):
        slug = entry.get("slug", "")
        if not KEY_PATTERN.match(slug) or slug in sets:
            raise LibraryError(f"evening set slug {slug!r} is not a unique short slug")
        questions = tuple(
            Question(number=number, text=question["text"], depth=question["depth"])
            for number, question in enumerate(entry.get("questions", []), start=1)
        )
        if len(questions) != QUESTIONS_PER_SET:
            raise LibraryError(f"{slug}: {len(questions)} questions, not {QUESTIONS_PER_SET}")
        depths = [DEPTH_ORDER[Depth(question.depth)] for question in questions]
        if (
            depths != sorted(depths)
            or depths[0] != DEPTH_ORDER[Depth.LIGHT]
            or depths[-1] != DEPTH_ORDER[Depth.VULNERABLE]
        ):
            raise LibraryError(f"{slug}: questions must go from light to vulnerable, never back")
        for question in questions:
            if not 0 < len(question.text) <= TEXT_MAX_LENGTH or normalise(question.text) in seen:
                raise LibraryError(f"{slug} #{question.number}: empty, too long or repeated")
            seen.add(normalise(question.text))
        sets[slug] = EveningSet(slug=slug, title=entry["title"], summary=entry["summary"], questions=questions)
    if len(sets) < MIN_SETS:
        raise LibraryError(f"{len(sets)} evening sets, at least {MIN_SETS} wanted")
    return data["research"], sets


@cache
def shipped() -> tuple[str, dict[str, EveningSet]]:
    return read_sets()


def get_set(slug: str) -> EveningSet | None:
    return shipped()[1].get(slug)


class EveningState(models.TextChoices):
    """Where the user stands with an evening's current question."""

    ANSWER = "answer", _("Not answered yet")
    WAITING = "waiting", _("Waiting for the partner")
    FINISHED = "finished", _("Every question answered")


@dataclass
class Progress:
    """Where `user` stands in an evening: the questions both answered (each with the
    two answers, read through EveningAnswer.objects.visible_to), and the current one."""

    revealed: list[tuple[Question, EveningAnswer | None, EveningAnswer | None]]
    current: Question | None
    mine: EveningAnswer | None
    partner_answered: bool

    @property
    def state(self) -> EveningState:
        if self.current is None:
            return EveningState.FINISHED
        return EveningState.WAITING if self.mine else EveningState.ANSWER


def both_answered(evening: Evening) -> set[int]:
    """The numbers of the questions both partners answered: a yes or no per question,
    never anyone's words."""
    return both_answered_from(list(EveningAnswer.objects.filter(evening=evening).values_list("number", "user_id")))


def current_number(evening_set: EveningSet, done: set[int]) -> int | None:
    """The first question not yet answered by both, or None once all are."""
    return next((question.number for question in evening_set.questions if question.number not in done), None)


def progress_for(evening: Evening, evening_set: EveningSet, user) -> Progress:
    """Two queries: who answered what (no text), and the answers `user` may see."""
    answered = list(EveningAnswer.objects.filter(evening=evening).values_list("number", "user_id"))
    done = both_answered_from(answered)
    number = current_number(evening_set, done)
    visible = list(EveningAnswer.objects.visible_to(user).filter(evening=evening))
    mine = {answer.number: answer for answer in visible if answer.user_id == user.pk}
    theirs = {answer.number: answer for answer in visible if answer.user_id != user.pk}
    revealed = [
        (question, mine.get(question.number), theirs.get(question.number))
        for question in evening_set.questions
        if question.number in done
    ]
    return Progress(
        revealed=revealed,
        current=evening_set.question(number) if number else None,
        mine=mine.get(number) if number else None,
        partner_answered=any(n == number and user_id != user.pk for n, user_id in answered),
    )


def both_answered_from(answered: list[tuple[int, int]]) -> set[int]:
    """Of (number, user id) pairs, the numbers two people answered."""
    by_number: dict[int, set[int]] = {}
    for number, user_id in answered:
        by_number.setdefault(number, set()).add(user_id)
    return {number for number, users in by_number.items() if len(users) >= 2}
