"""What base.html (and jinja_templates/layout.html) need on every page."""

import os
from collections.abc import Callable
from functools import cache

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html

NAV = {
    "home": "home",
    "today": "prompts:today",
    "history": "prompts:history",
    "evenings": "prompts:evenings",
    "rituals": "rituals:index",
    "couple": "couples:couple",
    "settings": "accounts:settings",
    "assessments": "assessments:index",
    "login": "account_login",
    "signup": "account_signup",
    "push_subscribe": "notifications:push-subscribe",
}


@cache
def _urls(script_prefix: str) -> dict[str, str]:
    # The site's links are the same on every page: reversed once per process (and
    # prefix), not on every request.
    return {name: reverse(url_name) for name, url_name in NAV.items()}


# The sections the main navigation marks as the current page.
SECTIONS = ("today", "history", "couple", "settings")


def navigation(request: HttpRequest) -> dict[str, object]:
    urls = _urls(get_script_prefix())
    return {"nav": urls, "nav_section": _section(request, urls)}


def _section(request: HttpRequest, urls: dict[str, str]) -> str:
    """Which link of the main navigation is the current page ("" for none): base.html's
    cached header varies on it."""
    match = request.resolver_match
    if match is not None and match.app_name == "rituals":
        return "rituals"
    return next((name for name in SECTIONS if request.path == urls[name]), "")


class _Once:
    """A piece of the page made when it is first shown, then kept: for {{ }} in either
    engine (both take __html__ as already escaped). Cheaper to show than Django's
    SimpleLazyObject, whose every attribute lookup goes through a proxy."""

    __slots__ = ("_make", "_value")

    def __init__(self, make: Callable[[], str]) -> None:
        self._make = make
        self._value: str | None = None

    def __str__(self) -> str:
        if self._value is None:
            self._value = self._make()
        return self._value

    __html__ = __str__


def csrf(request: HttpRequest) -> dict[str, object]:
    """One masked CSRF token per page, made when a form first asks for it. Django's own
    (`csrf_token`, and Jinja's `csrf_input`) masks the secret afresh for every form on
    the page: a history page of ten days made eleven, which cost more than its markup.
    Any masked token is valid; an htmx fragment without a form makes none."""
    token = _Once(lambda: _masked_token(request))
    hidden_input = _Once(lambda: format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token))
    return {"csrf_token": token, "csrf_input": hidden_input}


_CHARS = CSRF_ALLOWED_CHARS  # 62 letters and digits
_INDEX = {char: number for number, char in enumerate(_CHARS)}


def _masked_token(request: HttpRequest) -> str:
    """django.middleware.csrf.get_token, masking the secret with one read of the system's
    randomness instead of one per character (32 reads and some 300 calls a page). The
    same token: a random mask of 32 characters, then the secret shifted by it, which the
    CSRF middleware unmasks on the way back in. A first visit, with no secret yet, goes
    to Django, which makes the secret and its cookie."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: the cookie is sent again
    mask: list[str] = []
    while len(mask) < CSRF_SECRET_LENGTH:
        # 248 is 4 x 62: a byte below it, modulo 62, picks each character equally often.
        mask += [_CHARS[byte % 62] for byte in os.urandom(48) if byte < 248]
    mask = mask[:CSRF_SECRET_LENGTH]
    cipher = [_CHARS[(_INDEX[a] + _INDEX[b]) % 62] for a, b in zip(secret, mask, strict=True)]
    return "".join(mask) + "".join(cipher)
