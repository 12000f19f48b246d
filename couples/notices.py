"""The notice couples/ sends, registered with notifications/ in CouplesConfig.ready():
"your partner joined", to the person who sent the invite."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.registry import Kind, Notice, Request

from .models import Couple


class NoticeKind(models.TextChoices):
    PARTNER_JOINED = "partner_joined", _("Partner joined")


def partner_joined_notices(requests: Sequence[Request], now: datetime) -> list[Notice]:
    """Still paired in the couple the key names (1 query): a couple that has ended
    since the invite was accepted is not announced."""
    paired = Couple.objects.partner_names_for({request.user.pk for request in requests})
    notices = []
    for request in requests:
        user = request.user
        if user.pk not in paired or request.key != str(paired[user.pk][0].pk):
            continue
        notices.append(
            Notice(user=user, key=request.key, slots={"name": user.name, "partner_name": paired[user.pk][1]})
        )
    return notices


PARTNER_JOINED = Kind(
    name=NoticeKind.PARTNER_JOINED,
    template="couples/email/partner_joined",
    notices=partner_joined_notices,
    late_limit=timedelta(days=1),
    slot_names=("name", "partner_name"),
    label=NoticeKind.PARTNER_JOINED.label,
    help_text=_("When the person you invited joins you."),
)
