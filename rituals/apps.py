from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class RitualsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rituals"

    def ready(self) -> None:
        from couples.models import Couple
        from notifications import registry

        from .notices import RITUAL_REMINDER

        registry.register(RITUAL_REMINDER)
        # couples/ knows nothing of rituals: when a couple's time zone may have
        # changed, rituals move their reminders themselves.
        post_save.connect(_couple_saved, sender=Couple, dispatch_uid="rituals.couple_saved")
        # /today/ keeps each couple's active rituals in the cache: any saved or deleted
        # ritual drops them (the services' conditional UPDATEs do so themselves).
        post_save.connect(_ritual_changed, sender="rituals.Ritual", dispatch_uid="rituals.ritual_saved")
        post_delete.connect(_ritual_changed, sender="rituals.Ritual", dispatch_uid="rituals.ritual_deleted")


def _ritual_changed(sender, instance, **kwargs) -> None:
    from .models import forget_active_rituals

    forget_active_rituals(instance.couple_id)


def _couple_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    if created:
        return
    if instance.ended_at is not None:
        # An ended couple has nothing to be reminded of; rows left due would be swept
        # (and dropped) at every occurrence for ever.
        from .models import Reminder

        Reminder.objects.filter(ritual__couple=instance, remind_at__isnull=False).update(
            occurrence_at=None, remind_at=None
        )
        return
    if update_fields is not None and "time_zone" not in update_fields:
        return
    from .services import reschedule_couple

    reschedule_couple(couple=instance)
