"""Finding past days in history: by family, by favourite, and by words.

One entry point, `search_history`, so the way words are matched can change without
touching the view: today PostgreSQL full-text search over the plain answer text (a
case-insensitive substring on SQLite). Whatever the strategy, only text the user may
read is searched: their own answers and the partner's revealed ones, through
Answer.objects.visible_to, plus the question itself.

Once answer text is encrypted at rest the database cannot match it; `_matching_day_ids`
then reads the user's visible answers (one query: a couple has a few thousand at most),
decrypts them in Python and returns the ids of the days whose text matches, and the
rest stays as it is. The query count stays fixed either way.
"""

import datetime

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from accounts.models import User
from core.prepared import Prepared

from .models import Answer, DailyPrompt, Favourite

PAGE_SIZE = 20
QUERY_MAX_LENGTH = 100
# Language-neutral: no stemming and no stop words, so a search in any language finds
# the words as written (and "we" is not dropped as an English stop word).
SEARCH_CONFIG = "simple"


def _answered_days(user: int, before: datetime.date) -> QuerySet[DailyPrompt]:
    """The user's answered days before `before`, newest first, each with its question,
    how many seats its couple still has, and whether the user starred it."""
    return (
        DailyPrompt.objects.filter(answers__user_id=user, date__lt=before)
        .annotate(
            prompt_text=F("prompt__text"),
            seats=Count("couple__memberships"),
            is_favourite=Exists(Favourite.objects.filter(user_id=user, daily_prompt=OuterRef("pk"))),
        )
        .order_by("-date", "-pk")
    )


# The plain history page's query, built once (core.prepared): a page of days, and one
# more to know whether there are older ones.
_HISTORY_DAYS = Prepared(lambda user, before: _answered_days(user, before)[: PAGE_SIZE + 1], "user", dates=("before",))


def search_history(
    user: User, *, before: datetime.date, query: str = "", family: str = "", favourites: bool = False
) -> list[DailyPrompt]:
    """A page of the user's answered days (PAGE_SIZE, and one more if there are older
    ones) before `before`, newest first: of one family, starred ones only, and those
    whose question or readable answers contain `query`, as asked. One query."""
    if not (query or family or favourites):
        return _HISTORY_DAYS.run(user=user.pk, before=before)
    days = _answered_days(user.pk, before)
    if family:
        days = days.filter(prompt__family=family)
    if favourites:
        days = days.filter(favourites__user=user)
    if query:
        days = _matching(days, user, query)
    return list(days[: PAGE_SIZE + 1])


def _matching(days: QuerySet[DailyPrompt], user: User, query: str) -> QuerySet[DailyPrompt]:
    """Of `days`, those whose question, or an answer `user` may read, matches `query`."""
    in_answers = Q(pk__in=_matching_day_ids(user, query))
    if connection.vendor == "postgresql":
        words = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return days.alias(question=SearchVector("prompt__text", config=SEARCH_CONFIG)).filter(
            Q(question=words) | in_answers
        )
    return days.filter(Q(prompt__text__icontains=query) | in_answers)


def _matching_day_ids(user: User, query: str) -> QuerySet:
    """The days with an answer `user` may read that matches `query` (a subquery). The
    strategy to change once answer text is encrypted (see the module's docstring)."""
    readable = Answer.objects.visible_to(user)
    if connection.vendor == "postgresql":
        readable = readable.annotate(document=SearchVector("text", config=SEARCH_CONFIG)).filter(
            document=SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        )
    else:
        readable = readable.filter(text__icontains=query)
    return readable.values("daily_prompt_id")
