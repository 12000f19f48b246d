"""Render a kind's templates once for many people, then fill in each person's slots.

Rendering three templates costs more than sending the message, so a delivery renders
each variant once with a marker in place of every slot, and fills the markers per
person with one regular-expression pass: escaped in HTML, as typed in plain text.
"""

import re
from dataclasses import dataclass
from html import escape as escape_html

from django.template.loader import render_to_string

# A private-use character: no keyboard types it, autoescaping leaves it alone, and it
# is not whitespace (so .strip() and .split() keep it), so a marker survives rendering.
_MARK = "\ue000"
_SLOT = re.compile(f"{_MARK}([a-z_]+){_MARK}")


def slot_marker(name: str) -> str:
    return f"{_MARK}{name}{_MARK}"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str

    def fill(self, slots: dict[str, str]) -> "Rendered":
        def plain(match: re.Match) -> str:
            return slots[match[1]]

        def escaped(match: re.Match) -> str:
            # What django.utils.html.escape returns, without its lazy-string wrapper
            # (a third of the fill, per slot per person).
            return escape_html(str(slots[match[1]]))

        # A subject is one line, whatever a value holds.
        subject = " ".join(_SLOT.sub(plain, self.subject).split())
        return Rendered(subject=subject, text=_SLOT.sub(plain, self.text), html=_SLOT.sub(escaped, self.html))


def render_shared(template: str, context: dict, slot_names: tuple[str, ...]) -> Rendered:
    context = {**context, **{name: slot_marker(name) for name in slot_names}}
    return Rendered(
        subject=render_to_string(f"{template}_subject.txt", context).strip(),
        text=render_to_string(f"{template}.txt", context),
        html=render_to_string(f"{template}.html", context),
    )
