from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Outcome, Pillar
from .recurrence import Cadence, Nth, Pattern, Schedule, ScheduleError, Weekday, day_bounds

# How long before an occurrence a person may ask to be reminded ("" means never).
REMINDER_CHOICES = [
    ("", _("No reminder")),
    ("0", _("When it starts")),
    ("5", _("5 minutes before")),
    ("10", _("10 minutes before")),
    ("15", _("15 minutes before")),
    ("30", _("30 minutes before")),
    ("60", _("An hour before")),
    ("120", _("Two hours before")),
]

# How far ahead a schedule must produce an occurrence to count as possible.
POSSIBLE_WITHIN = timedelta(days=400)
# How far from today a start or end date may be: a ritual is for this stretch of life,
# and a date at the edge of what Python can hold would overflow the rule's expansion.
DATE_RANGE_YEARS = 5


class RitualForm(forms.Form):
    """A ritual's what and when. Its schedule choices become one RRULE (`rrule` in
    cleaned_data); a schedule that never happens is refused here."""

    title = forms.CharField(
        label=_("Name"),
        max_length=80,
        error_messages={"required": _("Give it a short name, like “Sunday walk”.")},
    )
    instructions = forms.CharField(
        label=_("How you do it"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    pillar = forms.ChoiceField(label=_("What it tends"), choices=[("", _("Not sure")), *Pillar.choices], required=False)
    cadence = forms.ChoiceField(
        label=_("How often"), choices=Cadence.choices, initial=Cadence.DAILY, widget=forms.RadioSelect
    )
    weekdays = forms.MultipleChoiceField(
        label=_("On which days"),
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For chosen days, weekly, every few weeks and monthly."),
        error_messages={"invalid_choice": _("%(value)s is not a day of the week. Pick days from the list.")},
    )
    interval = forms.IntegerField(
        label=_("Every how many weeks"),
        min_value=2,
        max_value=12,
        required=False,
        initial=2,
        help_text=_("Only for “every few weeks”: 2 to 12."),
        error_messages={
            "min_value": _("Every 2 weeks is the least; for every week choose “once a week”."),
            "max_value": _("Every 12 weeks is the most we can keep track of."),
            "invalid": _("Write a whole number of weeks, like 2."),
        },
    )
    nth = forms.TypedChoiceField(
        label=_("Which one in the month"), choices=Nth.choices, coerce=int, initial=Nth.FIRST, required=False
    )
    start_time = forms.TimeField(
        label=_("At what time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Choose a time of day."), "invalid": _("Write a time like 19:30.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("For how many minutes"),
        min_value=1,
        max_value=600,
        error_messages={
            "required": _("Say roughly how long it takes, in minutes."),
            "min_value": _("A ritual takes at least a minute. Write a number above zero."),
            "max_value": _("Keep it under ten hours (600 minutes)."),
            "invalid": _("Write a whole number of minutes, like 10."),
        },
    )
    starts_on = forms.DateField(
        label=_("Starting"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose the first day."), "invalid": _("Write a date like 2026-06-01.")},
    )
    ends_on = forms.DateField(
        label=_("Ending (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write a date like 2026-06-01, or leave it empty.")},
    )

    def __init__(self, *args, zone, kept_dates: tuple[date | None, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        # An edited ritual's own dates stay allowed, however long ago it started.
        self.kept_dates = {day for day in kept_dates if day is not None}

    def _clean_date_in_range(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value is None or value in self.kept_dates:
            return value
        today = timezone.now().astimezone(self.zone).date()
        earliest = today.replace(year=today.year - DATE_RANGE_YEARS, day=min(today.day, 28))
        latest = today.replace(year=today.year + DATE_RANGE_YEARS, day=min(today.day, 28))
        if not earliest <= value <= latest:
            raise forms.ValidationError(
                _("Pick a date between %(earliest)s and %(latest)s."),
                code="out_of_range",
                params={"earliest": earliest.isoformat(), "latest": latest.isoformat()},
            )
        return value

    def clean_starts_on(self) -> date | None:
        return self._clean_date_in_range("starts_on")

    def clean_ends_on(self) -> date | None:
        return self._clean_date_in_range("ends_on")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date is before the start date. Pick a later one, or leave it empty."))
            return data
        cadence = data.get("cadence")
        if cadence is None or "weekdays" in self.errors or "interval" in self.errors:
            return data
        weekdays = tuple(data.get("weekdays") or ())
        if cadence == Cadence.WEEKDAYS and not weekdays:
            self.add_error("weekdays", _("Pick at least one day."))
            return data
        if cadence in (Cadence.WEEKLY, Cadence.EVERY_N_WEEKS, Cadence.MONTHLY_WEEKDAY) and len(weekdays) != 1:
            self.add_error("weekdays", _("Pick exactly one day for this schedule."))
            return data
        schedule = Schedule(cadence, weekdays=weekdays, interval=data.get("interval") or 2, nth=data.get("nth") or 1)
        try:
            data["rrule"] = schedule.as_rrule()
        except ScheduleError:
            self.add_error("cadence", _("That schedule does not work. Check the days and the number of weeks."))
            return data
        if starts_on and data.get("start_time"):
            pattern = Pattern(data["rrule"], starts_on, data["start_time"], self.zone, ends_on=ends_on)
            start = day_bounds(starts_on, self.zone)[0]
            first = pattern.after(start - timedelta(seconds=1))
            if first is None or first - start > POSSIBLE_WITHIN:
                self.add_error(
                    None, _("This schedule never happens between those dates. Try a later end date or other days.")
                )
        return data

    def ritual_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "instructions": data["instructions"],
            "pillar": data["pillar"],
            "rrule": data["rrule"],
            "start_time": data["start_time"],
            "duration_minutes": data["duration_minutes"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
        }


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("A note for your partner (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Keep the note under %(limit_value)d characters (this is %(show_value)d).")},
    )


class MarkForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How close did you feel?"),
        coerce=int,
        choices=[(1, _("1, distant")), (2, "2"), (3, "3"), (4, "4"), (5, _("5, very close"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pick a number from 1 to 5.")},
    )


class ReminderForm(forms.Form):
    minutes_before = forms.TypedChoiceField(
        label=_("Remind me"),
        choices=REMINDER_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
