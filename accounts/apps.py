from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from core.middleware import mark_session_renewed

        # A sign-in starts a new session (Django cycles its key) with a full lifetime:
        # the daily renewal (core.middleware) counts from here.
        user_logged_in.connect(mark_session_renewed, dispatch_uid="accounts.mark_session_renewed")
