from functools import cache

from allauth.account.forms import ConfirmEmailVerificationCodeForm as AllauthConfirmEmailCodeForm
from allauth.account.forms import ConfirmLoginCodeForm as AllauthConfirmLoginCodeForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import User, time_zone_names, validate_display_name

# Where a signup that could not read the browser's zone starts; the picker offers the
# phone's zone instead (static/js/attune.js).
FALLBACK_TIME_ZONE = "UTC"

# The regions of the time zone database, in the order the picker lists them; every other
# name (Etc/GMT+5, US/Eastern, Japan, ...) goes under "Other", so every valid zone is there.
REGIONS = {
    "Africa": _("Africa"),
    "America": _("America"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific"),
}
OTHER_REGION = _("Other")


def _place(name: str) -> str:
    """How a zone reads in the list: America/Argentina/Buenos_Aires -> Argentina / Buenos Aires."""
    return name.replace("_", " ").replace("/", " / ")


@cache
def time_zone_groups() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(region, ((zone, label), ...)) for every zone but the fallback, which comes first on its own."""
    grouped: dict[str, list[tuple[str, str]]] = {region: [] for region in [*REGIONS, ""]}
    for name in time_zone_names() - {FALLBACK_TIME_ZONE}:
        region, _slash, place = name.partition("/")
        if region in REGIONS and place:
            grouped[region].append((name, _place(place)))
        else:
            grouped[""].append((name, _place(name)))
    return tuple(
        (region, tuple(sorted(zones, key=lambda zone: zone[1].casefold()))) for region, zones in grouped.items()
    )


@cache
def _time_zone_options(language: str) -> tuple[tuple[str, ...], dict[str, int]]:
    """The picker's <option> and <optgroup> HTML as chunks, and each zone's chunk, in one
    language (the region names are translated)."""
    chunks = [f'<option value="{FALLBACK_TIME_ZONE}">{FALLBACK_TIME_ZONE}</option>']
    for region, zones in time_zone_groups():
        chunks.append(f'<optgroup label="{escape(REGIONS.get(region, OTHER_REGION))}">')
        chunks.extend(f'<option value="{escape(zone)}">{escape(label)}</option>' for zone, label in zones)
        chunks.append("</optgroup>")
    index = {
        chunk[len('<option value="') : chunk.index('">')]: n for n, chunk in enumerate(chunks) if "value=" in chunk
    }
    return tuple(chunks), index


def time_zone_options_html(selected: str | None) -> SafeString:
    chunks, index = _time_zone_options(get_language() or "")
    position = index.get(selected or "")
    if position is None:
        return mark_safe("".join(chunks))  # noqa: S308 (built from escaped names above)
    chosen = chunks[position].replace('">', '" selected>', 1)
    return mark_safe("".join(chunks[:position]) + chosen + "".join(chunks[position + 1 :]))  # noqa: S308 (the same escaped chunks)


class TimeZoneSelect(forms.Widget):
    """Every time zone in one <select>, grouped by region, the current one selected.

    The options are HTML built once in Python and cached: through Django's select
    template, one template render per option, 600 zones cost about 50 ms a page. The
    template around it only adds the "use this phone's zone" helper (static/js/attune.js).
    """

    template_name = "forms/widgets/time_zone_select.html"

    def get_context(self, name: str, value, attrs) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs_html"] = flatatt(context["widget"]["attrs"])
        context["widget"]["options_html"] = time_zone_options_html(context["widget"]["value"])
        return context


class TimeZoneBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict, widget: forms.Widget | None = None) -> dict:
        attrs = super().build_widget_attrs(attrs, widget)
        if not self.form.is_bound and self.value() == FALLBACK_TIME_ZONE:
            # Still on the fallback: the browser may preselect the phone's own zone.
            attrs["data-time-zone-fallback"] = True
        return attrs


class TimeZoneField(forms.CharField):
    widget = TimeZoneSelect
    default_error_messages = {
        "required": _("Choose a time zone from the list, like Europe/Paris."),
        "invalid_choice": _("Choose a time zone from the list, like Europe/Paris."),
    }

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and value not in time_zone_names():
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> BoundField:
        return TimeZoneBoundField(form, self, field_name)


class SignupForm(AllauthSignupForm):
    """allauth's signup plus a name and a time zone (filled in by the browser)."""

    display_name = forms.CharField(
        label=_("Your first name"),
        max_length=50,
        validators=[validate_display_name],
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
    time_zone = TimeZoneField(
        label=_("Time zone"),
        help_text=_(
            "Your reminder comes at your time here. The new question of the day arrives at midnight "
            "in the time zone you share with your partner, set on the Partner page."
        ),
    )

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "reminder_time", "reminder_enabled"]
        labels = {
            "display_name": _("Your name"),
            "reminder_time": _("Remind me at"),
            "reminder_enabled": _("Send me reminders and notices"),
        }
        help_texts = {
            "display_name": _("This is how your partner sees you."),
            "reminder_time": _("Your local time. The reminder only comes if you have not answered yet."),
            "reminder_enabled": _(
                "Untick to pause all of them at once. Under Notifications, below, each one has its own switch."
            ),
        }
        widgets = {"reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        error_messages = {"display_name": {"required": _("Tell us what to call you.")}}

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.schedule_next_reminder(now=timezone.now())
        if commit:
            user.save()
        return user


# What an emailed code looks like (ALLAUTH_USER_CODE_FORMAT): said beside the box.
CODE_HELP = _("The 8 letters from the email, like KDPT-RMWB. Small letters and no dash work too.")


def _show_what_to_type(form: forms.Form) -> None:
    field = form.fields["code"]
    field.help_text = CODE_HELP
    field.widget.attrs.update({"maxlength": "20"})


class ConfirmLoginCodeForm(AllauthConfirmLoginCodeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _show_what_to_type(self)


class ConfirmEmailVerificationCodeForm(AllauthConfirmEmailCodeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _show_what_to_type(self)
