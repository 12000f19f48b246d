"""Headers every response carries, and sessions that renew on use."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from .http import session_user_id

SESSION_RENEWED_KEY = "attune_renewed_at"


class SecurityHeadersMiddleware:
    """- Permissions-Policy: no page uses the camera, location or the like.
    - Vary: HX-Request: one URL answers a whole page or an htmx fragment, so no cache
      may hand one out for the other.
    - Cache-Control: no-store on whatever a signed-in person is shown (answers, names,
      notes): nothing personal stays in a browser's or a proxy's cache.
    - Clear-Site-Data on signing out: the browser forgets this site's cache and storage.
    - A signed-in session renews its expiry on use, at most once a day.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.logout_path = reverse("account_logout")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # From the session: loading the user here would cost the waiting poll, which
        # answers 204 without it, a query on every beat.
        signed_in = session_user_id(request) is not None
        if signed_in:
            renew_session(request)
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        patch_vary_headers(response, ["HX-Request"])
        if signed_in and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        if request.path == self.logout_path and request.method == "POST" and not request.user.is_authenticated:
            response.headers["Clear-Site-Data"] = '"cache", "storage"'
        return response


def renew_session(request: HttpRequest) -> None:
    """Mark the session changed once a day: Django then saves it with a fresh expiry
    (SESSION_COOKIE_AGE from now) and sends the cookie again."""
    now = int(time.time())
    renewed = request.session.get(SESSION_RENEWED_KEY, 0)
    if not isinstance(renewed, int) or now - renewed >= settings.SESSION_RENEW_AFTER_SECONDS:
        request.session[SESSION_RENEWED_KEY] = now


def mark_session_renewed(sender, request: HttpRequest, **kwargs) -> None:
    request.session[SESSION_RENEWED_KEY] = int(time.time())
