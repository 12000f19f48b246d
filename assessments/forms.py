import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .definitions import Assessment, Item


class AssessmentForm(forms.Form):
    """Every item of one assessment as a required choice, plus the one-time token that
    makes a double submit harmless. Built from the data file, so a tampered value, a
    missing answer or an item id the assessment does not have is caught here, with
    every valid answer kept for the re-render."""

    # Not validated as an error, nor its length: a missing, mangled or oversized token only
    # costs the protection (submitted_token() replaces it), never the answers.
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, assessment: Assessment, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        for item in assessment.items:
            self.fields[item.field_name] = forms.ChoiceField(
                label=item.text,
                choices=[(option.value, option.label) for option in item.options],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Please choose an answer to this one."),
                    "invalid_choice": _("That answer is not one of the options. Please choose again."),
                },
            )

    def clean(self):
        cleaned = super().clean()
        known = {item.field_name for item in self.assessment.items}
        unknown = sorted(key for key in self.data if key.startswith("q-") and key not in known)
        if unknown:
            raise forms.ValidationError(
                _(
                    "Some answers did not match this assessment's questions, perhaps from an older copy of the page. "
                    "Your other answers are kept: please check them and send again."
                ),
                code="unknown_item",
            )
        return cleaned

    def answers(self) -> dict[str, str]:
        """Item key -> chosen option value, once the form is valid."""
        return {item.key: self.cleaned_data[item.field_name] for item in self.assessment.items}

    def submitted_token(self) -> str:
        """The form's token, or a fresh one when it was missing or mangled."""
        try:
            return str(uuid.UUID(self.cleaned_data.get("token") or ""))
        except ValueError:
            return str(uuid.uuid4())

    def item_is_valid(self, item: Item) -> bool:
        """Just this item, for one-question-per-screen steps (before the whole form)."""
        return item.field_name not in self.errors

    def value_of(self, item: Item) -> str:
        """What was sent for this item, if it is one of its options (to keep it)."""
        value = self.data.get(item.field_name, "") if self.is_bound else self.initial.get(item.field_name, "")
        return value if item.option(value) is not None else ""

    def first_invalid_step(self) -> int:
        for number, item in enumerate(self.assessment.items, start=1):
            if not self.item_is_valid(item):
                return number
        return len(self.assessment.items)

    def questions(self) -> list["Question"]:
        errors = self.errors if self.is_bound else {}
        return [
            Question(number, item, self.value_of(item), [str(error) for error in errors.get(item.field_name, [])])
            for number, item in enumerate(self.assessment.items, start=1)
        ]


class Question:
    """One item as the template shows it: its number, what was chosen, its errors."""

    def __init__(self, number: int, item: Item, value: str, errors: list[str]) -> None:
        self.number, self.item, self.value, self.errors = number, item, value, errors


def pack_answers(assessment: Assessment, answers: dict[str, str]) -> str:
    """Answers as one short string in item order ("5,3,6,..."), for the signup link of
    a signed-out result: static/js/assessments.js keeps it in the tab's sessionStorage
    through signup and fills the form in with it, without the server keeping it."""
    return ",".join(answers[item.key] for item in assessment.items)
