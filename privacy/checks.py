"""Deployment check: answers must not be encrypted with the development key, which is
in the source for anyone to read."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def field_encryption_keys(app_configs, **kwargs) -> list[Warning]:
    if settings.DEV_FIELD_ENCRYPTION_KEY not in settings.FIELD_ENCRYPTION_KEYS:
        return []
    return [
        Warning(
            "FIELD_ENCRYPTION_KEYS includes the development key: answers are encrypted with a key published in the source.",
            hint='Set FIELD_ENCRYPTION_KEYS to a key of your own (README, "Keys"), and keep a copy apart from backups.',
            id="privacy.W001",
        )
    ]
