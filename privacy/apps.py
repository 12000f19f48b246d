from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)
