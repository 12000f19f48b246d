"""Each answer format's form, and how an answer of that format reads back.

A prompt's format (prompts.models.Format) decides the fields of its answer form;
`answer_form` builds it, `AnswerFormBase.answer` turns its cleaned data into what
Answer keeps (`text` and `data`), and `describe` puts on each shown answer what the
templates show (`answer.view`), with how close each Love Map guess was.
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import answer_text_field
from .models import SCALE_MAX, SCALE_MIN, Answer, Format, Prompt

PART_MAX_LENGTH = 500


class Kind:
    """What a Love Map guess is made of: words, one of the options, or a point on the scale."""

    TEXT = "text"
    CHOICE = "choice"
    SCALE = "scale"


def kind_of(prompt: Prompt) -> str:
    """The kind of value the prompt asks for (a guess's answer and guess are the same kind)."""
    data = prompt.format_data or {}
    if prompt.format == Format.SCALE or (prompt.format == Format.LOVE_MAP_GUESS and "low" in data):
        return Kind.SCALE
    if prompt.format == Format.CHOICE or (prompt.format == Format.LOVE_MAP_GUESS and "options" in data):
        return Kind.CHOICE
    return Kind.TEXT


SCALE_CHOICES = [(number, str(number)) for number in range(SCALE_MIN, SCALE_MAX + 1)]
SCALE_ERRORS = {
    "required": _("Pick a number from 1 to 10."),
    "invalid_choice": _("Pick a number from 1 to 10."),
    "invalid": _("Pick a number from 1 to 10."),
}
CHOICE_ERRORS = {
    "required": _("Pick one of the options."),
    "invalid_choice": _("Pick one of the options shown."),
    "invalid": _("Pick one of the options shown."),
}


def _value_field(kind: str, prompt: Prompt, label) -> forms.Field:
    if kind == Kind.SCALE:
        return forms.TypedChoiceField(
            label=label, choices=SCALE_CHOICES, coerce=int, widget=forms.RadioSelect, error_messages=SCALE_ERRORS
        )
    if kind == Kind.CHOICE:
        options = list(enumerate(prompt.format_data["options"]))
        return forms.TypedChoiceField(
            label=label, choices=options, coerce=int, widget=forms.RadioSelect, error_messages=CHOICE_ERRORS
        )
    return answer_text_field(label)


class AnswerFormBase(forms.Form):
    # The day whose question the person was looking at: an answer typed before
    # midnight and sent after it still belongs to that question.
    day = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The question the person was answering: a swap (services.swap_daily_prompt) may
    # have changed the day's question since the page was opened.
    question = forms.IntegerField(required=False, widget=forms.HiddenInput)
    prompt: Prompt

    def answer(self) -> tuple[str, dict]:
        """What Answer keeps of the cleaned form: (text, data)."""
        cleaned, prompt = self.cleaned_data, self.prompt
        kind = kind_of(prompt)
        data: dict = {}
        text = cleaned.get("text", "")
        if prompt.format == Format.SCALE:
            data["value"] = cleaned["value"]
        elif prompt.format == Format.CHOICE:
            data["choice"] = cleaned["choice"]
        elif prompt.format == Format.LOVE_MAP_GUESS:
            if kind == Kind.SCALE:
                data["value"] = cleaned["value"]
            elif kind == Kind.CHOICE:
                data["choice"] = cleaned["choice"]
            data["guess"] = cleaned["guess"]
        elif prompt.format == Format.MULTI_PART:
            data["parts"] = [cleaned[f"part_{number}"] for number in range(len(prompt.format_data["parts"]))]
        return text, data


def answer_form(prompt: Prompt, *args, **kwargs) -> AnswerFormBase:
    """The answer form for `prompt`'s format (bound when given data)."""
    key = (prompt.pk, prompt.format, prompt.text, json.dumps(prompt.format_data, sort_keys=True))
    return _answer_form_class(key, prompt)(*args, **kwargs)


@lru_cache(maxsize=1024)
def _answer_form_class(key: tuple, prompt: Prompt) -> type[AnswerFormBase]:
    """The form class of a question as it reads now (`key`: its id, format, words and
    data), made once per process, not on every page. Its own labels are lazy
    translations, read in each request's language."""
    fields: dict[str, forms.Field] = {}
    kind = kind_of(prompt)
    if prompt.format == Format.SCALE:
        fields["value"] = _value_field(kind, prompt, prompt.text)
        fields["text"] = answer_text_field(_("A note, if you like"), required=False)
    elif prompt.format == Format.CHOICE:
        fields["choice"] = _value_field(kind, prompt, prompt.text)
    elif prompt.format == Format.LOVE_MAP_GUESS:
        name = {Kind.SCALE: "value", Kind.CHOICE: "choice", Kind.TEXT: "text"}[kind]
        fields[name] = _value_field(kind, prompt, _("You"))
        fields["guess"] = _value_field(kind, prompt, prompt.format_data["guess_text"])
    elif prompt.format == Format.MULTI_PART:
        for number, label in enumerate(prompt.format_data["parts"]):
            fields[f"part_{number}"] = answer_text_field(label, max_length=PART_MAX_LENGTH)
    else:
        fields["text"] = answer_text_field(_("Your answer"))
    return type("AnswerForm", (AnswerFormBase,), {**fields, "prompt": prompt})


def initial_for(prompt: Prompt, answer: Answer | None) -> dict:
    """The form's starting values from the user's own saved answer, if any."""
    if answer is None:
        return {}
    data: dict = answer.data or {}
    initial = {"text": answer.text, "value": data.get("value"), "choice": data.get("choice")}
    initial["guess"] = data.get("guess")
    for number, part in enumerate(data.get("parts", [])):
        initial[f"part_{number}"] = part
    return initial


@dataclass
class View:
    """One answer as the templates show it."""

    format: str
    kind: str
    text: str = ""
    value: int | None = None
    choice: str = ""
    guess: str = ""
    guess_value: int | None = None
    parts: list[tuple[str, str]] = field(default_factory=list)
    # In parts, both answers: (label, this answer's part, the other's part), part by part.
    pairs: list[tuple[str, str, str]] = field(default_factory=list)
    # Love Map: how this answer's guess compares with the other answer ("" for words).
    distance: int | None = None
    same: bool | None = None

    @property
    def shown(self) -> str:
        """The answer in one line: its words, option or number."""
        if self.kind == Kind.SCALE and self.value is not None:
            return str(self.value)
        if self.kind == Kind.CHOICE:
            return self.choice
        return self.text


def _label(prompt: Prompt, index) -> str:
    options = prompt.format_data.get("options", [])
    return options[index] if isinstance(index, int) and 0 <= index < len(options) else ""


def _view(prompt: Prompt, answer: Answer) -> View:
    data: dict = answer.data or {}
    kind = kind_of(prompt)
    view = View(format=prompt.format, kind=kind, text=answer.text, value=data.get("value"))
    view.choice = _label(prompt, data.get("choice"))
    if prompt.format == Format.LOVE_MAP_GUESS:
        guess = data.get("guess")
        if kind == Kind.SCALE:
            view.guess_value = guess if isinstance(guess, int) else None
            view.guess = "" if view.guess_value is None else str(view.guess_value)
        elif kind == Kind.CHOICE:
            view.guess = _label(prompt, guess)
        else:
            view.guess = guess if isinstance(guess, str) else ""
    if prompt.format == Format.MULTI_PART:
        labels, parts = prompt.format_data.get("parts", []), data.get("parts", [])
        view.parts = [(label, parts[n] if n < len(parts) else "") for n, label in enumerate(labels)]
    return view


def describe(prompt: Prompt, mine: Answer | None, theirs: Answer | None) -> None:
    """Put each given answer's `view` on it; with both, how close each guess came to
    the other's own answer: the distance on a scale, same or not for a choice, and for
    words nothing (the partners judge that themselves)."""
    for answer in (mine, theirs):
        if answer is not None:
            answer.view = _view(prompt, answer)  # type: ignore[attr-defined]
    if mine is None or theirs is None:
        return
    if prompt.format == Format.MULTI_PART:
        mine.view.pairs = [  # type: ignore[attr-defined]
            (label, own, other)
            for (label, own), (_, other) in zip(mine.view.parts, theirs.view.parts, strict=True)  # type: ignore[attr-defined]
        ]
    if prompt.format != Format.LOVE_MAP_GUESS:
        return
    for guesser, other in ((mine, theirs), (theirs, mine)):
        guessed, actual = guesser.view, other.view  # type: ignore[attr-defined]
        guesses = guesser.data.get("guess")
        if guessed.kind == Kind.SCALE and isinstance(guesses, int) and actual.value is not None:
            guessed.distance = abs(guesses - actual.value)
        elif guessed.kind == Kind.CHOICE and isinstance(guesses, int):
            guessed.same = guesses == other.data.get("choice")


def summary(prompt: Prompt, answer: Answer) -> str:
    """The answer as one plain text, for the export: its words, or its number, option,
    guess and parts with their labels."""
    view = _view(prompt, answer)
    if prompt.format == Format.SCALE:
        shown = _("%(value)s of 10") % {"value": view.value}
        return f"{shown}. {view.text}" if view.text else shown
    if prompt.format == Format.CHOICE:
        return view.choice
    if prompt.format == Format.LOVE_MAP_GUESS:
        return _("Own answer: %(own)s. Guess: %(guess)s") % {"own": view.shown, "guess": view.guess}
    if prompt.format == Format.MULTI_PART:
        return "\n".join(f"{label}: {part}" for label, part in view.parts)
    return answer.text
