"""Links that hot pages build on every request, reversed once per process.

reverse() costs tens of microseconds, and a page of ten history days asked for thirty.
A link without arguments is the same on every request (`url_for`); one that differs
only by an object's id is reversed once (per script prefix) around a stand-in id, and
each call puts the real id in its place (`url_with_id`).
"""

from collections.abc import Mapping
from functools import cache

from django.urls import get_script_prefix, reverse

# An id no row has; its digits appear nowhere else in a path.
_STAND_IN = 987_654_321_987


@cache
def _reversed(name: str, script_prefix: str) -> str:
    return reverse(name)


def url_for(name: str) -> str:
    """reverse(name) for a URL that takes no arguments."""
    return _reversed(name, get_script_prefix())


@cache
def _around_id(name: str, script_prefix: str) -> tuple[str, str]:
    path = reverse(name, args=[_STAND_IN])
    before, found, after = path.partition(str(_STAND_IN))
    if not found:
        raise ValueError(f"{name} does not take the id as it is: {path}")
    return before, after


def url_with_id(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL whose one argument is an integer id."""
    before, after = _around_id(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"


def urls_with_id(names: Mapping[str, str], pk: int) -> dict[str, str]:
    """url_with_id for each URL name in `names` (by its key), all with the same id: the
    script prefix is read once (a page of history builds seventy)."""
    prefix, pk = get_script_prefix(), int(pk)
    return {key: "{0}{2}{1}".format(*_around_id(name, prefix), pk) for key, name in names.items()}
