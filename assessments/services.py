from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from couples.models import Couple

from .definitions import Assessment
from .models import Attempt
from .scoring import score


def record_attempt(*, user: User, assessment: Assessment, answers: dict[str, str], token: str) -> tuple[Attempt, bool]:
    """Save a completed assessment once per form token: (attempt, created). A double
    submit (same token) gets the attempt the first submit saved, and saves nothing."""
    result = score(assessment, answers)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                user=user, assessment=assessment.slug, answers=answers, scores=result.scores, token=token
            )
    except IntegrityError:
        return Attempt.objects.get(user=user, token=token), False
    return attempt, True


@transaction.atomic
def share_attempt(*, attempt: Attempt, couple: Couple) -> None:
    """Share this result with the couple, as the one the partner compares with: the
    person's other results of the assessment stop being shared, so "stop sharing"
    later leaves none behind. Their rows are locked first, so two shares at once
    still leave one shared."""
    mine = Attempt.objects.of(attempt.user, attempt.assessment)
    list(mine.select_for_update().values_list("pk", flat=True))
    mine.exclude(pk=attempt.pk).filter(shared_with__isnull=False).update(shared_with=None, shared_at=None)
    attempt.shared_with = couple
    attempt.shared_at = timezone.now()
    attempt.save(update_fields=["shared_with", "shared_at"])


def unshare_attempt(*, attempt: Attempt) -> None:
    attempt.shared_with = None
    attempt.shared_at = None
    attempt.save(update_fields=["shared_with", "shared_at"])
