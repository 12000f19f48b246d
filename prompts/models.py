from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


# Gentle first: a couple meets light prompts before deeper ones, and vulnerable last.
DEPTH_ORDER = {Depth.LIGHT: 0, Depth.DEEPER: 1, Depth.VULNERABLE: 2}


class PromptQuerySet(models.QuerySet):
    def active(self) -> "PromptQuerySet":
        return self.filter(is_active=True)


class Prompt(models.Model):
    """One question from the library (prompts/data/prompts.toml, loaded by key)."""

    key = models.SlugField(max_length=80, unique=True)
    family = models.CharField(max_length=32, choices=Family.choices)
    depth = models.CharField(max_length=16, choices=Depth.choices)
    pillar = models.CharField(max_length=32, choices=Pillar.choices)
    text = models.TextField()
    is_active = models.BooleanField(default=True)

    objects = PromptQuerySet.as_manager()

    def __str__(self) -> str:
        return self.text


class DailyPrompt(models.Model):
    """The prompt a couple gets on one local date of the couple's time zone."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Set once, in the same transaction as the second answer.
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["couple", "date"], name="daily_prompt_once_a_day"),
        ]
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.couple} {self.date}"

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None


class AnswerQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AnswerQuerySet":
        """Separate, then compare: the one place that decides whose answers a user sees.

        A user sees their own answers, and a partner's answer only on a day that is
        revealed *and* on which the user's own answer exists, in the user's current
        couple. Every page, fragment, email and export reads answers through here.
        """
        if not user.is_authenticated:
            return self.none()
        own_answer_exists = Exists(Answer.objects.filter(daily_prompt=OuterRef("daily_prompt"), user=user))
        return (
            self.alias(own=own_answer_exists)
            .filter(
                daily_prompt__couple__memberships__user=user,
                daily_prompt__couple__memberships__active=True,
            )
            .filter(Q(user=user) | Q(daily_prompt__revealed_at__isnull=False, own=True))
        )


class Answer(models.Model):
    daily_prompt = models.ForeignKey(DailyPrompt, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(max_length=settings.ANSWER_MAX_LENGTH)
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
