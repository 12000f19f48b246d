from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Depth, Family, PromptPreferences
from .search import QUERY_MAX_LENGTH


class AnswerField(forms.CharField):
    """Line endings count once: browsers send CRLF, people type one line break."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()


class AnswerForm(forms.Form):
    # The day whose question the person was looking at: an answer typed before
    # midnight and sent after it still belongs to that question.
    day = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The question itself: a swap (services.swap_daily_prompt) changes the day's question.
    prompt = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = AnswerField(
        label=_("Your answer"),
        max_length=settings.ANSWER_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off", "spellcheck": "true"}),
        error_messages={
            "required": _("Write a few words first. A single line is plenty."),
            "max_length": _("Please keep it under %(limit_value)d characters (this is %(show_value)d)."),
        },
    )


# Fewer families than this and the same few kinds of question come round too often.
MIN_FAMILIES = 3


class PromptPreferencesForm(forms.ModelForm):
    excluded_families = forms.MultipleChoiceField(
        label=_("Leave out"),
        choices=Family.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deepest = forms.ChoiceField(
        label=_("How deep questions may go"),
        choices=[
            (Depth.LIGHT, _("Light questions only")),
            (Depth.DEEPER, _("Light and deeper")),
            (Depth.VULNERABLE, _("All of them, the vulnerable ones too")),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = PromptPreferences
        fields = ["excluded_families", "deepest"]

    def clean_excluded_families(self) -> list[str]:
        excluded = self.cleaned_data["excluded_families"]
        if len(Family.values) - len(excluded) < MIN_FAMILIES:
            raise forms.ValidationError(
                _("Keep at least %(count)d kinds of question, so days stay varied."), params={"count": MIN_FAMILIES}
            )
        return excluded


class OwnQuestionForm(forms.Form):
    text = AnswerField(
        label=_("Ask something of your own"),
        max_length=200,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "true"}),
        error_messages={
            "required": _("Write the question first."),
            "max_length": _("Please keep it under %(limit_value)d characters (this is %(show_value)d)."),
        },
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if any(ord(character) < 32 and character != "\n" for character in text):
            raise forms.ValidationError(_("Please remove the special characters from the question."))
        return " ".join(text.split())


class SwapForm(forms.Form):
    """The day and the question the person chose to set aside: a replayed or stale
    form names a question that is no longer the day's."""

    day = forms.IntegerField(widget=forms.HiddenInput)
    prompt = forms.IntegerField(widget=forms.HiddenInput)


class HistoryFilterForm(forms.Form):
    """History's filters, read from the query string: words, a family, starred days."""

    q = forms.CharField(
        label=_("Search your days"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={
            "max_length": _("Please keep a search under %(limit_value)d characters (this is %(show_value)d)."),
        },
    )
    family = forms.ChoiceField(
        label=_("Kind of question"),
        required=False,
        choices=[("", _("Every kind")), *Family.choices],
        error_messages={"invalid_choice": _("That kind of question is not one we know. Pick one from the list.")},
    )
    favourites = forms.BooleanField(label=_("Starred days only"), required=False)

    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)


class FavouriteForm(forms.Form):
    on = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")


class EveningAnswerForm(forms.Form):
    # The question the person was answering: an answer to another one changes nothing.
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=99)
    text = AnswerForm.base_fields["text"]


class LibraryBrowseForm(forms.Form):
    """/questions/'s look through the library: one family, a page at a time."""

    family = forms.ChoiceField(
        choices=Family.choices,
        required=False,
        error_messages={"invalid_choice": _("That kind of question is not one we know. Pick one from the list.")},
    )
    page = forms.IntegerField(min_value=1, max_value=1000, required=False)


class LibrarySendForm(LibraryBrowseForm):
    prompt = forms.IntegerField(widget=forms.HiddenInput)
