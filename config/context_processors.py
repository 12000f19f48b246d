"""What base.html (and jinja_templates/layout.html) need on every page."""

from functools import cache

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
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


def csrf(request: HttpRequest) -> dict[str, object]:
    """One masked CSRF token per page, made when a form first asks for it. Django's own
    (`csrf_token`, and Jinja's `csrf_input`) masks the secret afresh for every form on
    the page: a history page of ten days made eleven, which cost more than its markup.
    Any masked token is valid; an htmx fragment without a form makes none."""
    token = SimpleLazyObject(lambda: get_token(request))
    hidden_input = SimpleLazyObject(
        lambda: format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
    )
    return {"csrf_token": token, "csrf_input": hidden_input}
