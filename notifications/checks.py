"""Deployment checks for push: a push service may refuse, or later block, a sender whose
VAPID subject is not a real way to reach whoever runs the instance."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def vapid_subject(app_configs, **kwargs) -> list[Warning]:
    if not (settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY):
        return []
    subject = settings.VAPID_SUBJECT
    real = subject.startswith("https://") or (subject.startswith("mailto:") and not subject.endswith("@localhost"))
    if real:
        return []
    return [
        Warning(
            f"VAPID_SUBJECT is {subject!r}: push services want a mailto: or https: address that reaches you.",
            hint="Set VAPID_SUBJECT, or DEFAULT_FROM_EMAIL to a real address.",
            id="notifications.W001",
        )
    ]
