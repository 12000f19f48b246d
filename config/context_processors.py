"""What base.html needs on every page."""

from functools import cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

NAV = {
    "home": "home",
    "today": "prompts:today",
    "history": "prompts:history",
    "rituals": "rituals:index",
    "couple": "couples:couple",
    "settings": "accounts:settings",
    "assessments": "assessments:index",
    "login": "account_login",
    "signup": "account_signup",
}


@cache
def _urls(script_prefix: str) -> dict[str, str]:
    # The site's links are the same on every page: reversed once per process (and
    # prefix), not eight times a request.
    return {name: reverse(url_name) for name, url_name in NAV.items()}


def navigation(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"nav": _urls(get_script_prefix())}
