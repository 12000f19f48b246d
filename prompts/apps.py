from django.apps import AppConfig


class PromptsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "prompts"

    def ready(self) -> None:
        from notifications import registry

        from .notices import DAILY_REMINDER, NUDGE, REVEAL_READY

        registry.register(DAILY_REMINDER)
        registry.register(REVEAL_READY)
        registry.register(NUDGE)
