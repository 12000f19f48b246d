from allauth.account import app_settings as allauth_settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from .forms import SettingsForm
from .http import UserRequest


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: UserRequest) -> HttpResponse:
    form = SettingsForm(request.POST if request.method == "POST" else None, instance=request.user)
    # "Saved" shows next to the button: in the swapped form with htmx, and after the
    # redirect (?saved=1) without it.
    saved = request.method == "GET" and request.GET.get("saved") == "1"
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            if not request.htmx:
                return redirect(reverse("accounts:settings") + "?saved=1")
            form, saved = SettingsForm(instance=user), True
        else:
            status = 422
    template = "accounts/settings.html#settings-form" if request.htmx else "accounts/settings.html"
    return render(request, template, {"form": form, "saved": saved}, status=status)


# The code pages whose "send a new code" allauth limits, and the RATE_LIMITS action each
# one spends: a resend too soon after the last code ends on the 429 page.
RESEND_LIMITS = {"account_email_verification_sent": "confirm_email", "account_confirm_login_code": "request_login_code"}
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _window_seconds(action: str) -> int | None:
    """The shortest window among the action's rate limits ("1/10s/key" -> 10)."""
    windows = []
    for rate in (allauth_settings.RATE_LIMITS.get(action) or "").split(","):
        parts = rate.strip().split("/")
        if len(parts) < 2 or not parts[1] or parts[1][-1] not in _SECONDS:
            continue
        try:
            windows.append(round(float(parts[1][:-1] or "1") * _SECONDS[parts[1][-1]]))
        except ValueError:
            continue
    return min(windows) if windows else None


def _how_long(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = round(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 429 page (config.urls.handler429, which allauth uses too). A code asked for
    again too soon says how long to wait, and leads back to the code page."""
    match = request.resolver_match
    action = RESEND_LIMITS.get(match.url_name or "") if match else None
    context: dict = {}
    if action and request.method == "POST" and request.POST.get("action") == "resend":
        seconds = _window_seconds(action)
        if seconds:
            context = {"wait": _how_long(seconds), "back_url": request.get_full_path()}
    return render(request, "429.html", context, status=429)
