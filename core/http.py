"""Request types for views, so mypy knows what middleware and decorators attach."""

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Every request: django-htmx's middleware sets `htmx`."""

    htmx: HtmxDetails


def session_user_id(request: HttpRequest) -> int | None:
    """The id of the person this session signed in, read from the session alone: the
    user row is not loaded. Only for what shows nothing of theirs and changes nothing
    (the waiting poll's 204, response headers): request.user is what checks that the
    session still holds (password unchanged, account active), and every view that
    shows or changes anything goes through it."""
    value = request.session.get(SESSION_KEY)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
