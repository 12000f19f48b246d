"""Request types for views, so mypy knows what middleware and decorators attach."""

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Every request: django-htmx's middleware sets `htmx`."""

    htmx: HtmxDetails


def unwrap_user(request: HttpRequest) -> None:
    """Once a view has checked the user (login_required), put the user itself in
    request.user, in place of the lazy proxy AuthenticationMiddleware left there: every
    attribute read through the proxy raises and catches an exception inside Django, and
    a daily page reads the user's id some fifty times."""
    request.user = getattr(request.user, "_wrapped", request.user)


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
