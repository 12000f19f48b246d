from django.apps import AppConfig
from django.db.models.signals import post_save, pre_delete


class CouplesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "couples"

    def ready(self) -> None:
        from accounts.models import User
        from notifications import registry

        from .models import forget_couple_of_changed_user
        from .notices import PARTNER_JOINED
        from .services import unpair_before_deleting

        registry.register(PARTNER_JOINED)

        # A user saved anywhere (settings, allauth's email change, the admin) or deleted:
        # the couple pages must not show their old name (see COUPLE_CACHE_SECONDS).
        post_save.connect(forget_couple_of_changed_user, sender=User, dispatch_uid="couples.forget_saved_user")
        pre_delete.connect(forget_couple_of_changed_user, sender=User, dispatch_uid="couples.forget_deleted_user")
        pre_delete.connect(unpair_before_deleting, sender=User, dispatch_uid="couples.unpair_deleted_user")
