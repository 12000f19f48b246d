"""Safety: free text a person writes (answers, evening answers, their own questions,
replies and notes) is checked against a list of crisis phrases (data/crisis_phrases.txt).

A match never blocks, hides or reveals anything. It shows the writer, once, a calm sheet
of places to get help (CRISIS_LINES, set by whoever runs the instance), and pauses
follow-ups to them for SAFETY_PAUSE_DAYS: the difference and deepening cards are not
offered to a paused reader (prompts.views) and no repair days are asked while either
partner is paused (prompts.services). Nudges and replies come from the partner and are
not paused. The partner learns nothing of it, and no notification ever mentions it.
"""

import re
import unicodedata
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from .models import SafetyPause

PHRASES_FILE = Path(__file__).parent / "data" / "crisis_phrases.txt"
# The session flag that shows the sheet on the writer's next page, once.
SHEET_SESSION_KEY = "attune:safety-sheet"

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_NOT_WORD = re.compile(r"[^\w]+|_")


def normalise(text: str) -> str:
    """Case folded, accents and punctuation gone, apostrophes dropped ("don't" is
    "dont"), single spaces, with a space at each end so phrases match whole words."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " " + " ".join(_NOT_WORD.sub(" ", _APOSTROPHES.sub("", bare)).split()) + " "


@cache
def crisis_phrases() -> tuple[str, ...]:
    lines = PHRASES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(normalise(line) for line in lines if line.strip() and not line.lstrip().startswith("#"))


def mentions_crisis(text: str) -> bool:
    folded = normalise(text)
    return any(phrase in folded for phrase in crisis_phrases())


def pause_follow_ups(*, user, now=None) -> SafetyPause:
    """Pause follow-ups to `user` for SAFETY_PAUSE_DAYS from now (a later match extends it)."""
    until = (now or timezone.now()) + timedelta(days=settings.SAFETY_PAUSE_DAYS)
    pause, _ = SafetyPause.objects.update_or_create(user=user, defaults={"until": until})
    return pause


def user_follow_ups_paused(user, now=None) -> bool:
    """Whether follow-ups (and nudges, reply prompts) to `user` are on hold."""
    return follow_ups_paused_for([user.pk], now=now)


def follow_ups_paused_for(user_ids: list[int], now=None) -> bool:
    """Whether any of these people's follow-ups are on hold (one query)."""
    return SafetyPause.objects.filter(user_id__in=user_ids, until__gt=now or timezone.now()).exists()


def check_writing(request: HttpRequest, text: str) -> bool:
    """Call after saving what `request.user` wrote: on a match, pause their follow-ups
    and show them the sheet once (base.html on the page that follows, or the
    fragment the save returns: the `sheet` context processor). Returns whether it matched."""
    if not mentions_crisis(text):
        return False
    pause_follow_ups(user=request.user)
    request.session[SHEET_SESSION_KEY] = True
    return True


class _SheetDue:
    """Whether the sheet shows in this response: the session is asked once, when a
    template first looks, so a response that never looks leaves it for the next."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._due: bool | None = None

    def __bool__(self) -> bool:
        if self._due is None:
            # No session (a page rendered outside the middleware): no sheet is due.
            session = getattr(self._request, "session", None)
            self._due = bool(session is not None and session.pop(SHEET_SESSION_KEY, False))
        return self._due


def sheet(request: HttpRequest) -> dict:
    """Context processor: base.html shows the sheet at the top of whatever page follows
    a match; an htmx fragment that saves writing shows it itself (request.htmx)."""
    return {"safety_sheet": _SheetDue(request), "crisis_lines": settings.CRISIS_LINES}
