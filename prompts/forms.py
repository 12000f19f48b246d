import unicodedata

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Depth, Family, PromptPreferences, ReactionKind
from .search import QUERY_MAX_LENGTH
from .toward import NOTE_MAX_LENGTH, REPLY_MAX_LENGTH


def is_blank(text: str) -> bool:
    """Nothing a reader could see: only spaces and invisible format characters
    (zero-width spaces and joiners, direction marks, byte-order marks)."""
    return all(character.isspace() or unicodedata.category(character) == "Cf" for character in text)


class AnswerField(forms.CharField):
    """Line endings count once: browsers send CRLF, people type one line break. Text
    made only of invisible characters counts as empty."""

    def to_python(self, value):
        value = super().to_python(value)
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        return "" if is_blank(value) else value


TEXT_ERRORS = {
    "required": _("Write a few words first. A single line is plenty."),
    "max_length": _("Please keep it under %(limit_value)d characters (this is %(show_value)d)."),
}


def answer_text_field(label, *, required: bool = True, max_length: int = settings.ANSWER_MAX_LENGTH) -> AnswerField:
    """Words a person writes as an answer (a day's, a part's, an evening's): rendered by
    hand (today.html#field-text), so no widget settings here."""
    return AnswerField(label=label, required=required, max_length=max_length, strip=False, error_messages=TEXT_ERRORS)


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


class ReactionForm(forms.Form):
    # "" takes one's reaction back.
    kind = forms.ChoiceField(
        choices=[("", ""), *ReactionKind.choices],
        required=False,
        error_messages={"invalid_choice": _("Pick one of the reactions shown.")},
    )


class ReplyForm(forms.Form):
    reply = AnswerField(
        label=_("Your reply"),
        max_length=REPLY_MAX_LENGTH,
        required=False,
        strip=False,
        error_messages={
            "max_length": _("Please keep a reply under %(limit_value)d characters (this is %(show_value)d).")
        },
    )


class NoteForm(forms.Form):
    text = AnswerField(
        label=_("A note for yourself"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        strip=False,
        error_messages={
            "max_length": _("Please keep a note under %(limit_value)d characters (this is %(show_value)d).")
        },
    )


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
    text = answer_text_field(_("Your answer"))


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
