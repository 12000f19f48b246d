"""The settings page's notifications section, rendered by notifications/ itself (the
accounts app, below us in the layers, cannot build our form)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from ..forms import PreferencesForm
from ..preferences import recipient_for
from ..views import push_context

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_preferences(context: template.Context) -> SafeString:
    request = context["request"]
    form = PreferencesForm(user=request.user, recipient=recipient_for(request.user))
    return render_to_string(
        "notifications/preferences.html#notification-preferences",
        {"form": form, "saved": False, **push_context()},
        request=request,
    )
