from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from . import registry
from .models import Channels, Recipient
from .preferences import choices_for, save_preferences


class PreferencesForm(forms.Form):
    """The channels for each kind, and quiet hours. (Notices on or off as a whole is the
    account's reminder_enabled, on the settings form above.)"""

    quiet_start = forms.TimeField(
        label=_("Quiet from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_end = forms.TimeField(
        label=_("Quiet until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, data=None, *, user: User, recipient: Recipient) -> None:
        self.user = user
        choices = choices_for(user)
        initial = {
            "quiet_start": recipient.quiet_start,
            "quiet_end": recipient.quiet_end,
            **{self.field_name(name): channels for name, channels in choices.items()},
        }
        super().__init__(data, initial=initial)
        for kind in registry.all_kinds():
            self.fields[self.field_name(kind.name)] = forms.ChoiceField(
                label=kind.label or kind.name,
                help_text=kind.help_text,
                choices=Channels.choices,
                widget=forms.RadioSelect(attrs={"class": "channel-choice"}),
                error_messages={"invalid_choice": _("Choose push, email, both or neither.")},
            )
        self.order_fields([self.field_name(kind.name) for kind in registry.all_kinds()])

    @staticmethod
    def field_name(kind_name: str) -> str:
        return f"kind_{kind_name}"

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[self.field_name(kind.name)] for kind in registry.all_kinds()]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both ends of your quiet hours, or leave both empty."))
        return cleaned

    def save(self) -> None:
        save_preferences(
            user=self.user,
            choices={
                kind.name: Channels(self.cleaned_data[self.field_name(kind.name)]) for kind in registry.all_kinds()
            },
            quiet_start=self.cleaned_data["quiet_start"],
            quiet_end=self.cleaned_data["quiet_end"],
        )
