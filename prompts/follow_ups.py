"""What follows a scale question's reveal: the rule (one pure function) and its texts,
from prompts/data/follow_ups.toml.

Difference and deepen are shown on the revealed card, where either partner may leave
them be; repair becomes the couple's questions on the next two days (services). A
follow-up never asks for another: only a scale day that is not itself a follow-up is
looked at, and the follow-ups are text questions.
"""

import hashlib
import tomllib
from functools import cache

from .library import DATA_DIR
from .models import Answer, DailyPrompt, FollowUp, Format

FOLLOW_UPS_FILE = DATA_DIR / "follow_ups.toml"

# The thresholds of the rule, on the 1 to 10 scale.
APART = 4
LOW = 4
HIGH = 9


def follow_up_for(first: int, second: int) -> FollowUp | None:
    """The first rule that matches two scale answers: 4 or more apart, then either 4
    or lower, then both 9 or higher; None when none does."""
    if abs(first - second) >= APART:
        return FollowUp.DIFFERENCE
    if min(first, second) <= LOW:
        return FollowUp.REPAIR
    if min(first, second) >= HIGH:
        return FollowUp.DEEPEN
    return None


def for_day(day: DailyPrompt, first: Answer, second: Answer) -> FollowUp | None:
    """What `day`'s reveal asks for: only a scale day that is not a follow-up itself,
    with both numbers given."""
    if day.follow_up_of_id is not None or day.prompt.format != Format.SCALE:
        return None
    one, other = (_value(answer) for answer in (first, second))
    if not isinstance(one, int) or not isinstance(other, int):
        return None
    return follow_up_for(one, other)


@cache
def _texts() -> dict[str, list[dict[str, str]]]:
    with FOLLOW_UPS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def _pick(kind: FollowUp, salt: int) -> dict[str, str]:
    options = _texts()[kind.value]
    digest = hashlib.sha256(f"{kind.value}:{salt}".encode()).digest()
    return options[int.from_bytes(digest[:4]) % len(options)]


def card_text(kind: FollowUp, day_id: int) -> str:
    """The words shown on the revealed card, stable for the day."""
    return _pick(kind, day_id)["text"]


def repair_steps(day_id: int) -> tuple[str, str]:
    """The two repair questions asked after the day `day_id`."""
    chosen = _pick(FollowUp.REPAIR, day_id)
    return chosen["first"], chosen["second"]


def _value(answer: Answer) -> object:
    data: dict = answer.data or {}
    return data.get("value")
