from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import User, time_zone_names


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


class SignupForm(AllauthSignupForm):
    """allauth's signup plus a name and a time zone (filled in by the browser)."""

    display_name = forms.CharField(
        label=_("Your first name"),
        max_length=50,
        help_text=_("This is how your partner sees you."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Tell us what to call you.")},
    )
    time_zone = forms.CharField(
        max_length=64,
        required=False,
        widget=forms.HiddenInput(attrs={"data-time-zone": ""}),
    )

    field_order = ["display_name", "email", "password1", "time_zone"]

    def clean_time_zone(self) -> str:
        # The browser fills this in; if it sent nothing usable, start on UTC and let
        # the user pick on the settings page rather than failing the signup.
        name = self.cleaned_data.get("time_zone") or ""
        return name if name in time_zone_names() else "UTC"

    def custom_signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.schedule_next_reminder(now=timezone.now())
        user.save(update_fields=["display_name", "time_zone", "next_reminder_at"])


class SettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "reminder_time", "reminder_enabled"]
        labels = {
            "display_name": _("Your name"),
            "reminder_time": _("Remind me at"),
            "reminder_enabled": _("Email me a gentle daily reminder, and when a reveal is ready"),
        }
        help_texts = {
            "display_name": _("This is how your partner sees you."),
            "reminder_time": _("Your local time. The reminder only comes if you have not answered yet."),
        }
        widgets = {"reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        error_messages = {"display_name": {"required": _("Tell us what to call you.")}}

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.schedule_next_reminder(now=timezone.now())
        if commit:
            user.save()
        return user
