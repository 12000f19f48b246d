from django.apps import AppConfig


class PromptsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "prompts"

    def ready(self) -> None:
        from notifications import registry

        from .notices import DAILY_REMINDER, NUDGE, PARTNER_ANSWERED, REVEAL_READY

        registry.register(DAILY_REMINDER)
        registry.register(PARTNER_ANSWERED)
        registry.register(REVEAL_READY)
        registry.register(NUDGE)
