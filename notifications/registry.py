"""The kinds of notice, registered by the apps that own them.

notifications/ knows how to claim, render and deliver a notice once; it knows nothing
of prompts, rituals or couples. Each domain app registers its kinds in
`AppConfig.ready()`: what the notice says (templates), who still needs it (`notices`),
and how late it may go out (`late_limit`). A new kind needs no migration and no edit
here.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from accounts.models import User

from .models import DEFAULT_CHANNELS, Channels

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


@dataclass(frozen=True)
class Request:
    """Is (user, key) worth a notice? `key=None` asks for the user's current key (a
    daily kind decides it, e.g. the couple's date); a given key asks about that one."""

    user: User
    key: str | None = None


@dataclass(frozen=True)
class Notice:
    """One notice still worth sending.

    Notices of a kind with the same `variant` share one rendering of the templates; the
    `slots` are plain strings put into that rendering for each person (the templates
    print them, never branch on them). Anything a template branches on belongs in the
    variant, as (name, value) pairs.
    """

    user: User
    key: str
    slots: dict[str, str] = field(default_factory=dict)
    variant: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Kind:
    name: str
    # Template prefix: "<template>_subject.txt", "<template>.txt" and "<template>.html".
    template: str
    # Of these requests, the notices still worth sending, in a fixed number of queries.
    notices: Callable[[Sequence[Request], datetime], list[Notice]]
    # Past this, counted from the first claim, a notice is dropped rather than sent late.
    late_limit: timedelta = timedelta(hours=2)
    # Sent at each person's daily reminder time: the sweep asks it about every due user.
    daily: bool = False
    # The slot names the templates print; the sweep fills each one for each person.
    slot_names: tuple[str, ...] = ("name",)
    # What the settings page calls it, where each person picks its channels.
    label: "str | _StrPromise" = ""
    # One line under the label on the settings page: when this notice comes.
    help_text: "str | _StrPromise" = ""
    # The channels of a person who has not chosen (a kind that would come often may
    # start quieter than email).
    default_channels: Channels = DEFAULT_CHANNELS


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if len(kind.name) > 32:
        raise ValueError(f"kind name {kind.name!r} is longer than the send log keeps (32)")
    _kinds[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _kinds.pop(name, None)


def get(name: str) -> Kind | None:
    return _kinds.get(name)


def default_channels(name: str) -> Channels:
    kind = _kinds.get(name)
    return kind.default_channels if kind else DEFAULT_CHANNELS


def all_kinds() -> list[Kind]:
    return list(_kinds.values())


def daily_kinds() -> list[Kind]:
    return [kind for kind in _kinds.values() if kind.daily]


def longest_late_limit() -> timedelta:
    return max((kind.late_limit for kind in _kinds.values()), default=timedelta(hours=2))
