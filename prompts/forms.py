from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AnswerField(forms.CharField):
    """Line endings count once: browsers send CRLF, people type one line break."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()


class AnswerForm(forms.Form):
    # The day whose question the person was looking at: an answer typed before
    # midnight and sent after it still belongs to that question.
    day = forms.IntegerField(required=False, widget=forms.HiddenInput)
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
