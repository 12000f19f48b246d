"""Finding past days in history: by family, by favourite, and by words.

One entry point, `search_history`, so the way words are matched can change without
touching the view. Only text the user may read is searched: their own answers and the
partner's revealed ones, through Answer.objects.visible_to, plus the question itself.
Questions are matched by PostgreSQL full-text search (a case-insensitive substring on
SQLite). Answers are encrypted at rest, so the database cannot look inside them:
`_matching_day_ids` reads the user's visible answers in one query, decrypts them and
keeps the days holding every word. The query count stays fixed either way.
"""

import datetime

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from accounts.models import User
from core.fields import EncryptedTextField
from core.prepared import Prepared
from couples.models import Membership

from .models import Answer, DailyPrompt, Favourite, written_words
from .toward import Note

# Ten days fill a few phone screens; each page is rendered and sent whole, so a smaller
# page comes sooner ("Older days" brings the next ten).
PAGE_SIZE = 10
QUERY_MAX_LENGTH = 100
# Language-neutral: no stemming and no stop words, so a search in any language finds
# the words as written (and "we" is not dropped as an English stop word).
SEARCH_CONFIG = "simple"


def _answered_days(user: int, before: datetime.date) -> QuerySet[DailyPrompt]:
    """The user's answered days before `before`, newest first: only what choosing a
    page needs (see _page). Read through every answer the user wrote: filtered searches
    narrow it before the page is cut; the plain page is _latest_page."""
    return DailyPrompt.objects.filter(answers__user_id=user, date__lt=before).order_by("-date", "-pk")


def _page(days: QuerySet[DailyPrompt], user: int) -> QuerySet[DailyPrompt]:
    """The first PAGE_SIZE of `days`, and one more if there are older ones, described
    (_described). The page is chosen first, in a subquery with the LIMIT, so the rest is
    read for its rows only, not for every answered day."""
    return _described(DailyPrompt.objects.filter(pk__in=days.values("pk")[: PAGE_SIZE + 1]), user)


def _described(page: QuerySet[DailyPrompt], user: int) -> QuerySet[DailyPrompt]:
    """The days of `page`, newest first, each with its question, how many seats its couple
    still has, whether the user starred it, and the user's private note on it (its text,
    decrypted through the column's field, or None). Seats are a correlated count rather
    than a join to the memberships, so nothing groups the whole history."""
    return page.annotate(
        prompt_text=F("prompt__text"),
        prompt_format=F("prompt__format"),
        prompt_format_data=F("prompt__format_data"),
        seats=Subquery(
            Membership.objects.filter(couple_id=OuterRef("couple_id"))
            .annotate(count=Func("pk", function="COUNT"))
            .values("count"),
            output_field=IntegerField(),
        ),
        is_favourite=Exists(Favourite.objects.filter(user_id=user, daily_prompt=OuterRef("pk"))),
        note_text=Subquery(
            Note.objects.of(User(pk=user)).filter(daily_prompt=OuterRef("pk")).values("text"),
            output_field=EncryptedTextField(),
        ),
    ).order_by("-date", "-pk")


# Each couple the user sat in is walked back from `before` one day at a time (a recursive
# query whose every step is "the couple's newest day before this one": an ORDER BY date
# DESC LIMIT 1 on the (couple, date) index), and the walk stops at a page of days the
# user answered. Written as one "ORDER BY date DESC LIMIT 11" over the couple's days, the
# prepared statement's generic plan, made once for any user, was free to read all of a
# couple's days and sort them: it did so once most couples on the site had few days
# (0.7 ms of PostgreSQL at 500 days, growing with the history). A LIMIT 1 step has no
# plan but the index. The answer check is "(SELECT true ...)" rather than EXISTS, which
# PostgreSQL may turn into a join with every answer of the user. A couple has one day per
# date. The page size is written in, not passed: a generic plan would not know its LIMIT.
_PAGE_OF_DAYS_SQL = f"""
    SELECT page.id FROM couples_membership sat
    CROSS JOIN LATERAL (
        WITH RECURSIVE walk (id, date) AS (
            (
                SELECT day.id, day.date FROM prompts_dailyprompt day
                WHERE day.couple_id = sat.couple_id AND day.date < %s
                ORDER BY day.date DESC LIMIT 1
            )
            UNION ALL
            SELECT earlier.id, earlier.date FROM walk CROSS JOIN LATERAL (
                SELECT day.id, day.date FROM prompts_dailyprompt day
                WHERE day.couple_id = sat.couple_id AND day.date < walk.date
                ORDER BY day.date DESC LIMIT 1
            ) earlier
        )
        SELECT walk.id, walk.date FROM walk
        WHERE (SELECT true FROM prompts_answer answer WHERE answer.daily_prompt_id = walk.id AND answer.user_id = %s)
        LIMIT {PAGE_SIZE + 1}
    ) page
    WHERE sat.user_id = %s
    ORDER BY page.date DESC, page.id DESC LIMIT {PAGE_SIZE + 1}
"""  # noqa: S608 (a constant of this module, no input)


def _latest_page(user: int, before: datetime.date) -> QuerySet[DailyPrompt]:
    """The unfiltered page (as _page gives it), at the same cost on day 10 and day 1,000.

    _answered_days finds the days through every answer the user ever wrote, then keeps
    the newest: its cost grows with the history. On PostgreSQL each couple the user sat
    in (they wrote only there) is walked backwards by date instead, a day at a time on the
    (couple, date) index, stopping at a page of answered days (a recursive LATERAL query,
    which the ORM cannot say), and the newest page of those is kept. SQLite has no
    LATERAL and keeps the plain query."""
    if connection.vendor != "postgresql":
        return _page(_answered_days(user, before), user)
    page = RawSQL(_PAGE_OF_DAYS_SQL, (before, user, user))  # noqa: S611 (every value a parameter)
    return _described(DailyPrompt.objects.filter(pk__in=page), user)


# The plain history page's query, built once (core.prepared): a page of days, and one
# more to know whether there are older ones.
_HISTORY_DAYS = Prepared(lambda user, before: _latest_page(user, before), "user", dates=("before",))


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
    return list(_page(days, user.pk))


def _matching(days: QuerySet[DailyPrompt], user: User, query: str) -> QuerySet[DailyPrompt]:
    """Of `days`, those whose question, or an answer `user` may read, matches `query`."""
    in_answers = Q(pk__in=_matching_day_ids(user, query))
    if connection.vendor == "postgresql":
        words = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return days.alias(question=SearchVector("prompt__text", config=SEARCH_CONFIG)).filter(
            Q(question=words) | in_answers
        )
    return days.filter(Q(prompt__text__icontains=query) | in_answers)


def _matching_day_ids(user: User, query: str) -> list[int]:
    """The days with an answer `user` may read that holds every word of `query`.
    Answers are encrypted at rest (core.fields): no index can look inside them, so the
    user's readable answers are read in one query, decrypted, and matched here; a
    couple has a few thousand at most."""
    words = _casefolded(query).split()
    if not words:
        return []
    found = set()
    for answer in Answer.objects.visible_to(user).only("daily_prompt_id", "text", "data"):
        written = _casefolded(written_words(answer.text, answer.data))
        if all(word in written for word in words):
            found.add(answer.daily_prompt_id)
    return sorted(found)


def _casefolded(text: str) -> str:
    return " ".join(text.casefold().split())
