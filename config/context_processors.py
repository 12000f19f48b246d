"""What base.html needs on every page."""

from functools import cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

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
