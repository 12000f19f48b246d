import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Case, Exists, F, FilteredRelation, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.fields import EncryptedJSONField, EncryptedTextField
from core.prepared import Prepared
from core.urls import urls_with_id
from couples.models import Membership

# Turning toward (reactions, notes, nudges): prompts' models, kept in their own module.
from .toward import Note, Nudge, Reaction, ReactionKind  # noqa: F401


class Family(models.TextChoices):
    CHECK_IN = "check_in", _("Check-in")
    LOVE_MAP = "love_map", _("Love map")
    DEEP_CONVERSATION = "deep_conversation", _("Deep conversation")
    SENTENCE_STEM = "sentence_stem", _("Sentence stem")
    STRESS_MAP = "stress_map", _("Stress map")
    ROSE_THORN_BUD = "rose_thorn_bud", _("Rose, thorn, bud")
    APPRECIATION = "appreciation", _("Appreciation")
    NEEDS = "needs", _("Needs")
    DREAMS_FEARS = "dreams_fears", _("Dreams and fears")
    SHARED_MEANING = "shared_meaning", _("Shared meaning")
    GROWTH = "growth", _("Growing")
    CURIOSITY = "curiosity", _("Curiosity")
    CLOSENESS = "closeness", _("Closeness")
    LOVE_LANGUAGES = "love_languages", _("Love languages")


class Depth(models.TextChoices):
    LIGHT = "light", _("Light")
    DEEPER = "deeper", _("Deeper")
    VULNERABLE = "vulnerable", _("Vulnerable")


class Pillar(models.TextChoices):
    EMOTIONAL_SAFETY = "emotional_safety", _("Emotional safety")
    ATTUNED_COMMUNICATION = "attuned_communication", _("Attuned communication")
    SHARED_MEANING = "shared_meaning", _("Shared meaning")
    REPAIR = "repair", _("Repair and forgiveness")
    PLAY = "play", _("Play and pleasure")


class Format(models.TextChoices):
    """How a prompt is answered. Each format but text carries its data in
    Prompt.format_data (checked by prompts.library.read_prompts):
    scale {"low", "high"}: labels for SCALE_MIN and SCALE_MAX;
    choice {"options"}: 2 to 5 labels (this-or-that is a choice of 2);
    love_map_guess {"guess_text"}: the text asks about oneself, guess_text asks for the
    partner's answer; with "options" or "low"/"high" the answer is a choice or a scale;
    multi_part {"parts"}: 2 to 5 short labels, one small answer each."""

    TEXT = "text", _("Free text")
    SCALE = "scale", _("Scale")
    CHOICE = "choice", _("Choice")
    LOVE_MAP_GUESS = "love_map_guess", _("Love Map guess")
    MULTI_PART = "multi_part", _("In parts")


SCALE_MIN, SCALE_MAX = 1, 10

# An unanswered day stays answerable for a week: its own date and the 6 days after it.
ANSWERABLE_DAYS = 7


# From light to vulnerable: the order prompts.selection paces a couple through.
DEPTH_ORDER: dict[str, int] = {Depth.LIGHT: 0, Depth.DEEPER: 1, Depth.VULNERABLE: 2}

# What the waiting poll (prompts.views.today_status) may read from the cache instead of
# the database: a day's couple never changes, and a revealed day stays revealed. The
# reveal mark outlives the day's couple entry, so the poll never holds the one without
# the other once the day is revealed.
DAY_CACHE_SECONDS = 60 * 60 * 24
REVEALED_CACHE_SECONDS = 2 * DAY_CACHE_SECONDS
# /today/'s copy of the day (see DailyPrompt.today_cache_key): an hour bounds how long
# a change made outside the services (the admin) can go unseen.
TODAY_CACHE_SECONDS = 60 * 60


class FollowUp(models.TextChoices):
    """What a scale question's reveal asks for next (prompts.follow_ups)."""

    DIFFERENCE = "difference", _("Talk about the difference")
    REPAIR = "repair", _("Repair, over the next two days")
    DEEPEN = "deepen", _("Go deeper")


class TodayState(models.TextChoices):
    """Where the user stands with a day's question."""

    ANSWER = "answer", _("Not answered yet")
    WAITING = "waiting", _("Waiting for the partner")
    REVEALED = "revealed", _("Both answers shown")


class PromptQuerySet(models.QuerySet):
    def active(self) -> "PromptQuerySet":
        return self.filter(is_active=True)

    def library(self) -> "PromptQuerySet":
        """The shipped library: what load_prompts manages, never a couple's own."""
        return self.filter(couple=None)


class Prompt(models.Model):
    """One question from the library (prompts/data/prompts/*.toml, loaded by key)."""

    key = models.SlugField(max_length=80, unique=True)
    family = models.CharField(max_length=32, choices=Family.choices)
    depth = models.CharField(max_length=16, choices=Depth.choices)
    pillar = models.CharField(max_length=32, choices=Pillar.choices)
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.TEXT)
    text = models.TextField()
    # "Why this matters": one line naming the research idea behind the prompt, if any.
    why = models.CharField(max_length=200, blank=True)
    # What the format needs beyond the text (see Format): labels, options, parts.
    format_data = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    # A question a partner wrote for their couple (PromptQueueEntry): theirs alone,
    # never in the library, never chosen for anyone else.
    couple = models.ForeignKey(
        "couples.Couple", on_delete=models.CASCADE, null=True, blank=True, related_name="own_prompts"
    )

    objects = PromptQuerySet.as_manager()

    def __str__(self) -> str:
        return self.text

    @classmethod
    def create_own(cls, *, couple, text: str, kind: str, family: str, depth: str, pillar: str) -> "Prompt":
        """A question that is the couple's alone (one a partner wrote, a repair step):
        never in the library, never chosen for anyone else. `kind` names it in its key."""
        return cls.objects.create(
            key=f"{kind}-{secrets.token_hex(8)}",
            couple=couple,
            family=family,
            depth=depth,
            pillar=pillar,
            text=text,
            is_active=False,
        )


class PromptPreferences(models.Model):
    """What a couple wants from the library: families left out, and how deep questions
    may go. Either partner may change it; it is the couple's, like their time zone."""

    couple = models.OneToOneField("couples.Couple", on_delete=models.CASCADE, related_name="prompt_preferences")
    excluded_families = models.JSONField(default=list, blank=True)
    deepest = models.CharField(max_length=16, choices=Depth.choices, default=Depth.VULNERABLE)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.couple} prompt preferences"

    @classmethod
    def of(cls, couple) -> "PromptPreferences":
        """The couple's choice, or the defaults (everything, every depth) if they made none."""
        return cls.objects.filter(couple=couple).first() or cls()

    def allows(self, prompt: "Prompt") -> bool:
        return prompt.family not in self.excluded_families and DEPTH_ORDER[prompt.depth] <= DEPTH_ORDER[self.deepest]


class PromptQueueEntryQuerySet(models.QuerySet):
    def waiting(self) -> "PromptQueueEntryQuerySet":
        """Sent and not yet asked."""
        return self.filter(used_on=None)


class PromptQueueEntry(models.Model):
    """A question one partner sent: it is the couple's question on the next new day,
    first sent first, shown as theirs."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="prompt_queue")
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    used_on = models.DateField(null=True, blank=True)

    objects = PromptQueueEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.prompt} from {self.sent_by_id}"


class DailyPromptQuerySet(models.QuerySet):
    def revealed(self) -> "DailyPromptQuerySet":
        """Days on which both partners answered (who may see them: is_revealed_to)."""
        return self.filter(revealed_at__isnull=False)

    def to_catch_up(self, user, couple, today: datetime.date) -> "DailyPromptQuerySet":
        """The couple's earlier days still answerable (DailyPrompt.is_answerable_on) that
        `user` has not answered, newest first.

        "Not answered" is a lookup of the user's answer per day of the window (a
        correlated subquery): as NOT EXISTS, PostgreSQL made it an anti-join with every
        answer the user ever wrote (3.8 ms at 500 days, on each day's first /today/)."""
        own_answer = Answer.objects.filter(daily_prompt=OuterRef("pk"), user=user).values("pk")[:1]
        return (
            self.filter(couple=couple, date__lt=today, date__gte=today - datetime.timedelta(days=ANSWERABLE_DAYS - 1))
            .alias(own_answer=Subquery(own_answer))
            .filter(own_answer__isnull=True)
            .order_by("-date")
        )


_DAY_LINKS = {
    name: f"prompts:{name}" for name in ("day", "react", "reply", "note", "nudge", "favourite", "today_status")
}


class DailyPrompt(models.Model):
    """The prompt a couple gets on one local date of the couple's time zone."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="+")
    # The partner who sent this day's question (PromptQueueEntry), if one did.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set once, in the same transaction as the second answer.
    revealed_at = models.DateTimeField(null=True, blank=True)
    # The scale day whose reveal asked for this day (a repair step, prompts.follow_ups):
    # a follow-up day never asks for another.
    follow_up_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Set once, by services.swap_daily_prompt: the question the couple set aside, never
    # asked again (prompts.selection counts it as used).
    swapped_at = models.DateTimeField(null=True, blank=True)
    swapped_from = models.ForeignKey(Prompt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = DailyPromptQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["couple", "date"], name="daily_prompt_once_a_day"),
        ]
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.couple} {self.date}"

    @cached_property
    def links(self) -> dict[str, str]:
        """The day's page and what is posted or polled about it, by URL name in
        prompts (core.urls: reversed once per process, not on every render)."""
        return urls_with_id(_DAY_LINKS, self.pk)

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None

    def is_answerable_on(self, today: datetime.date) -> bool:
        """Catch-up: a day can be answered from its own date until ANSWERABLE_DAYS later
        (today and the 6 days before it); never a future day, never an older one."""
        return today - datetime.timedelta(days=ANSWERABLE_DAYS - 1) <= self.date <= today

    def answers_visible_to(self, user) -> list["Answer"]:
        """This day's answers that `user` may see, through Answer.objects.visible_to;
        read once per user and kept on the instance. Each answer's `user` is not loaded:
        the views point it at the couple's members, which they hold already."""
        self._load_day_for(user)
        return self.__dict__["_answers_visible_to"][user.pk]

    def partner_has_answered(self, user) -> bool:
        """Whether someone else in `user`'s current couple has answered this day: a
        yes or no, read with the answers `user` may see, never the partner's words."""
        self._load_day_for(user)
        return self.__dict__["_partner_answered"][user.pk]

    def _load_day_for(self, user) -> None:
        """One query: the answers `user` may see, and whether the partner answered."""
        loaded = self.__dict__.setdefault("_answers_visible_to", {})
        partner_answered = self.__dict__.setdefault("_partner_answered", {})
        if user.pk in loaded:
            return
        rows = _ON_DAY_FOR.run(user=user.pk, day=self.pk) if user.is_authenticated else []
        answers = []
        for row in rows:
            if row.shown:
                # Annotations read through their output field (core.prepared): both
                # come decrypted, and None where the answer is not shown.
                row.text = row.shown_text
                row.data = row.shown_data or {}
                answers.append(row)
        if rows:
            # The day as the database has it now: this copy may come from the cache
            # (DailyPrompt.remembered_today), taken before the reveal.
            self.revealed_at = rows[0].day_revealed_at
        self.__dict__["_responded"] = any(row.day_responded for row in rows)
        loaded[user.pk] = answers
        partner_answered[user.pk] = any(row.user_id != user.pk for row in rows)

    def has_answered(self, user) -> bool:
        # visible_to includes the user's own answer only for a member of the couple.
        return user.is_authenticated and any(answer.user_id == user.pk for answer in self.answers_visible_to(user))

    def is_revealed_to(self, user) -> bool:
        """Revealed, and `user` is a member of the couple who answered: the partner's
        answer may be shown to them (visible_to says so: not after unpairing)."""
        return (
            self.is_revealed
            and self.has_answered(user)
            and any(answer.user_id != user.pk for answer in self.answers_visible_to(user))
        )

    def reactions_visible_to(self, user) -> list["Reaction"]:
        """Both partners' reactions and replies on this day, for a user it is revealed to
        (nothing otherwise): one query, read once per user and kept on the instance, and
        none when the day's answers came with word that nobody has responded yet."""
        loaded = self.__dict__.setdefault("_reactions_visible_to", {})
        if user.pk not in loaded:
            revealed = self.is_revealed_to(user)  # reads the answers, and whether anyone responded
            loaded[user.pk] = _REACTIONS_ON_DAY.run(day=self.pk) if revealed and self.__dict__["_responded"] else []
        return loaded[user.pk]

    def state_for(self, user) -> TodayState:
        """Where `user` stands with this day: still to answer, waiting, or revealed."""
        if not self.has_answered(user):
            return TodayState.ANSWER
        return TodayState.REVEALED if self.is_revealed else TodayState.WAITING

    # The waiting poll's cache entries (see DAY_CACHE_SECONDS).
    @staticmethod
    def couple_cache_key(pk: int) -> str:
        return f"attune:day:{pk}:couple"

    @staticmethod
    def revealed_cache_key(pk: int) -> str:
        return f"attune:day:{pk}:revealed"

    def remember_couple(self) -> None:
        cache.add(self.couple_cache_key(self.pk), self.couple_id, DAY_CACHE_SECONDS)

    def remember_revealed(self) -> None:
        """Tell the waiting polls, which read only the cache, to come and fetch the reveal."""
        cache.set(self.revealed_cache_key(self.pk), True, REVEALED_CACHE_SECONDS)

    # "Seen the reveal": the "answered too" email is not sent to someone who has seen
    # both answers already (on the page or by the waiting poll). A lost mark costs one
    # email, so the cache is enough, and /today/ keeps its queries. Keyed by the couple
    # and date (one day each), not the day's id: /today/ reads it in the same get_many
    # as the day itself (services.read_today), before it knows the id.
    @staticmethod
    def seen_cache_key(couple_id: int, date: datetime.date, user_id: int) -> str:
        return f"attune:couple:{couple_id}:day:{date.isoformat()}:seen:{user_id}"

    def remember_seen_by(self, user) -> None:
        cache.add(self.seen_cache_key(self.couple_id, self.date, user.pk), True, REVEALED_CACHE_SECONDS)

    @classmethod
    def seen_by(cls, days: "Iterable[tuple[int, datetime.date, int]]") -> set[tuple[int, datetime.date, int]]:
        """Of these (couple id, date, user id), those whose reveal the user has seen."""
        keys = {cls.seen_cache_key(*day): day for day in days}
        return {keys[key] for key in cache.get_many(list(keys))} if keys else set()

    # Today's day of a couple, prompt included, as /today/ reads it on every visit. Its
    # revealed_at may be older than the reveal: answers_visible_to brings the current one
    # with the answers, and the state follows from those. Never answers in the cache.
    @staticmethod
    def today_cache_key(couple_id: int, date: datetime.date) -> str:
        return f"attune:couple:{couple_id}:day:{date.isoformat()}"

    @classmethod
    def remembered_today(cls, couple_id: int, date: datetime.date) -> "DailyPrompt | None":
        return cache.get(cls.today_cache_key(couple_id, date))

    def remember_as_today(self) -> None:
        cache.add(self.today_cache_key(self.couple_id, self.date), self, TODAY_CACHE_SECONDS)

    # The days /today/ offers to catch up on (objects.to_catch_up), kept per person and
    # date: the list changes only when that person answers one (submit_answer forgets it)
    # or when the date moves on (another key).
    @staticmethod
    def catch_up_cache_key(user_id: int, couple_id: int, today: datetime.date) -> str:
        return f"attune:user:{user_id}:couple:{couple_id}:catch-up:{today.isoformat()}"

    @classmethod
    def remembered_catch_up(
        cls, user, couple, today: datetime.date, prefetched: dict | None = None
    ) -> list["DailyPrompt"]:
        """The list, from `prefetched` (cache values a view read along with the couple,
        by key) when its key was read there, else from the cache or the database."""
        key = cls.catch_up_cache_key(user.pk, couple.pk, today)
        remembered = prefetched[key] if prefetched and key in prefetched else cache.get(key)
        return cls.catch_up_as_remembered(remembered, user, couple, today)

    @classmethod
    def catch_up_as_remembered(cls, remembered, user, couple, today: datetime.date) -> list["DailyPrompt"]:
        """The list as the cache gave it (`remembered`, from catch_up_cache_key), or on a
        miss (None) read from the database and remembered."""
        if remembered is not None:
            return remembered
        days = list(cls.objects.to_catch_up(user, couple, today).only("pk", "date"))
        cache.set(cls.catch_up_cache_key(user.pk, couple.pk, today), days, TODAY_CACHE_SECONDS)
        return days

    @classmethod
    def forget_catch_up(cls, user_id: int, couple_id: int, today: datetime.date) -> None:
        cache.delete(cls.catch_up_cache_key(user_id, couple_id, today))

    def forget_as_today(self) -> None:
        cache.delete(self.today_cache_key(self.couple_id, self.date))

    def replace_as_today(self) -> None:
        """After a swap: both partners' next /today/ reads the new question."""
        cache.set(self.today_cache_key(self.couple_id, self.date), self, TODAY_CACHE_SECONDS)

    def can_swap_for(self, user) -> bool:
        """Whether `user`'s page offers a swap: once a day, before either partner has
        answered, and never a question a partner sent (theirs stays). Read with the
        answers the page loads already; services.swap_daily_prompt checks again under
        the day's row lock."""
        return (
            self.swapped_at is None
            and self.sent_by_id is None
            and not self.has_answered(user)
            and not self.partner_has_answered(user)
        )


class AnswerQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AnswerQuerySet":
        """Separate, then compare: the one place that decides whose answers a user sees.

        A user sees their own answers, always (after unpairing too: they are theirs to
        read and export), and a partner's answer only on a day that is revealed *and* on
        which the user's own answer exists, in the user's current couple. Every page,
        fragment, email and export reads answers through here.
        """
        if not user.is_authenticated:
            return self.none()
        own = FilteredRelation("daily_prompt__answers", condition=Q(daily_prompt__answers__user=user))
        # Every answer a user may see is on a day of a couple they sat in, now or before.
        # Said on its own, it lets the database start from those few couples: without it,
        # reading every visible answer (search, export) or a page of days by date scanned
        # the answers of every couple on the site.
        sat_in = Membership.objects.filter(user=user).values("couple_id")
        current_couple = sat_in.filter(active=True)
        return self.alias(own=own).filter(
            Q(daily_prompt__couple_id__in=sat_in),
            Q(user=user) | Q(daily_prompt__couple_id__in=current_couple) & _visibility(user),
        )

    def of_current_couple(self, user) -> "AnswerQuerySet":
        """Every answer of `user`'s current couple, seen or not: only for counting and
        telling that an answer exists, never to show one (visible_to does that). The
        `own` alias is the user's own answer to the same day, joined by the (day, user)
        unique index: one row at most, found per day rather than by scanning."""
        own = FilteredRelation("daily_prompt__answers", condition=Q(daily_prompt__answers__user=user))
        current_couple = Membership.objects.filter(user=user, active=True).values("couple_id")
        return self.alias(own=own).filter(daily_prompt__couple_id__in=current_couple)


def _visibility(user) -> Q:
    """Separate, then compare: the user's own answers, and the partner's on a revealed
    day the user answered too (over AnswerQuerySet.of_current_couple's `own` alias)."""
    return Q(user=user) | Q(daily_prompt__revealed_at__isnull=False, own__isnull=False)


class Answer(models.Model):
    daily_prompt = models.ForeignKey(DailyPrompt, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers")
    # Free text, the answer's own words for a text or text-guess question, a scale's
    # note. Encrypted at rest (core.fields): no lookup on it can match; read, then compare.
    text = EncryptedTextField(max_length=settings.ANSWER_MAX_LENGTH, blank=True)
    # The rest of a structured answer (prompts.formats): {"value": 7}, {"choice": 1},
    # {"parts": [...]}, and a Love Map guess's {"guess": ...}; encrypted too, since parts
    # and guesses are words. Shown under the same rule as the text, and selected only
    # when shown (see _on_day_for).
    data = EncryptedJSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["daily_prompt", "user"], name="answer_once_per_day"),
        ]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Answer by {self.user} on {self.daily_prompt.date}"


def written_words(text: str, data: dict | None) -> str:
    """Everything a person wrote in an answer, as one text: its words, each part, and a
    guess made in words (prompts.formats' data), for the safety check and for search."""
    data = data or {}
    parts = [part for part in data.get("parts", []) if isinstance(part, str)]
    guess = data.get("guess")
    return " ".join([text, *parts, *([guess] if isinstance(guess, str) else [])])


class Favourite(models.Model):
    """A day's reveal one partner starred, to find again in history: theirs alone."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    daily_prompt = models.ForeignKey(DailyPrompt, on_delete=models.CASCADE, related_name="favourites")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "daily_prompt"], name="favourite_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.daily_prompt_id}"


def _on_day_for(user: int, day: int) -> AnswerQuerySet:
    """The couple's answers to one day, each marked `shown` by the visibility rule. The
    text leaves the database only for a shown answer (`shown_text`; `text` itself is
    never selected): of the partner's unseen answer, only that it exists. Both come
    decrypted through their output fields (core.prepared applies each column's
    converters, annotations included)."""
    reader = User(pk=user)
    visible = _visibility(reader)
    return (
        Answer.objects.of_current_couple(reader)
        .filter(daily_prompt_id=day)
        .defer("text", "data")
        .annotate(
            shown=Case(When(visible, then=Value(True)), default=Value(False), output_field=models.BooleanField()),
            shown_text=Case(When(visible, then=F("text")), default=None, output_field=EncryptedTextField()),
            shown_data=Case(When(visible, then=F("data")), default=None, output_field=EncryptedJSONField()),
            day_revealed_at=F("daily_prompt__revealed_at"),
            # Whether anyone has reacted or replied on the day: without, a revealed
            # day's page need not ask for its reactions (reactions_visible_to).
            day_responded=Exists(Reaction.objects.filter(daily_prompt_id=OuterRef("daily_prompt_id"))),
        )
    )


# The visibility rule for one day, as DailyPrompt.answers_visible_to runs it on every
# /today/ and poll: the same ORM query, built once per process (core.prepared).
_ON_DAY_FOR = Prepared(_on_day_for, "user", "day")
# A revealed day's reactions and replies, as /today/ reads them on every visit.
_REACTIONS_ON_DAY = Prepared(lambda day: Reaction.objects.on_days([day]), "day")


class Evening(models.Model):
    """A couple's way through one evening question set (prompts.evenings): started
    once, by either partner; its answers say how far they are."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="evenings")
    set_slug = models.SlugField(max_length=80)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["couple", "set_slug"], name="evening_once_per_set"),
        ]

    def __str__(self) -> str:
        return f"{self.couple} {self.set_slug}"


class EveningAnswerQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EveningAnswerQuerySet":
        """Separate, then compare, for an evening: the one place that decides. A user
        sees their own answers, and a partner's answer to a question only once their
        own answer to the same question exists, in their current couple."""
        if not user.is_authenticated:
            return self.none()
        own_to_same = EveningAnswer.objects.filter(evening=OuterRef("evening"), number=OuterRef("number"), user=user)
        current_couple = Membership.objects.filter(user=user, active=True).values("couple_id")
        return self.filter(Q(user=user) | Q(evening__couple_id__in=current_couple) & Exists(own_to_same))


class EveningAnswer(models.Model):
    evening = models.ForeignKey(Evening, on_delete=models.CASCADE, related_name="answers")
    number = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(max_length=settings.ANSWER_MAX_LENGTH)  # encrypted at rest (core.fields)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = EveningAnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evening", "number", "user"], name="evening_answer_once"),
        ]
        ordering = ["number", "created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.evening_id} #{self.number}"
