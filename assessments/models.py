import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from couples.models import Couple


class AttemptQuerySet(models.QuerySet):
    def of(self, user, slug: str) -> "AttemptQuerySet":
        return self.filter(user=user, assessment=slug)

    def shared_in(self, couple: Couple) -> "AttemptQuerySet":
        return self.filter(shared_with=couple)

    def visible_to(self, user, couple: Couple | None) -> "AttemptQuerySet":
        """The one rule for whose results a person may see: their own, and their
        partner's only where the partner shared it with this couple and the person has
        shared their own result of the same assessment with it too (separate, then
        compare). Every view that shows a result reads through here."""
        own = Q(user=user)
        if couple is None:
            return self.filter(own)
        mine_shared = Attempt.objects.filter(user=user, shared_with=couple, assessment=OuterRef("assessment"))
        partner_ids = [member.pk for member in couple.members if member.pk != user.pk]
        theirs = Q(user_id__in=partner_ids, shared_with=couple) & Q(Exists(mine_shared))
        return self.filter(own | theirs)


class Attempt(models.Model):
    """One person's completed assessment: the answers, the scores they gave at the
    time, and whether it is shared with the couple. Private until shared."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_attempts")
    assessment = models.SlugField(max_length=50)
    answers = models.JSONField()
    scores = models.JSONField()
    # The form's one-time token: a double submit finds the attempt the first one saved.
    token = models.UUIDField(default=uuid.uuid4)
    created_at = models.DateTimeField(default=timezone.now)
    shared_with = models.ForeignKey(Couple, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    shared_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="attempt_token_once")]
        indexes = [models.Index(fields=["user", "assessment", "-created_at"], name="attempt_user_assessment")]

    def __str__(self) -> str:
        return f"{self.assessment} by {self.user_id} on {self.created_at:%Y-%m-%d}"

    def is_shared_in(self, couple: Couple | None) -> bool:
        return couple is not None and self.shared_with_id == couple.pk
