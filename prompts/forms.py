import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Depth, Family, PromptPreferences, ReactionKind
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
