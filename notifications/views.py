import hashlib
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import UserRequest

from .delivery import user_for_unsubscribe_token
from .forms import PreferencesForm
from .models import PushSubscription
from .preferences import recipient_for, stop_emails

MAX_SUBSCRIPTION_BYTES = 4096


# The signed token in the URL is the credential, and mail clients POST here without a
# CSRF token (RFC 8058 one-click unsubscribe); the only effect is to stop our emails.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_unsubscribe_token(token)
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"state": "invalid"}, status=404)
    if request.method == "POST":
        stop_emails(user=user)
        return render(request, "notifications/unsubscribe.html", {"state": "done", "subscriber": user})
    return render(request, "notifications/unsubscribe.html", {"state": "confirm", "subscriber": user})


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: UserRequest) -> HttpResponse:
    recipient = recipient_for(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, user=request.user, recipient=recipient)
    status = 200
    saved = False
    if request.method == "POST":
        if form.is_valid():
            form.save()
            saved = True
            form = PreferencesForm(user=request.user, recipient=recipient_for(request.user))
        else:
            status = 422
    template = (
        "notifications/preferences.html#notification-preferences" if request.htmx else "notifications/preferences.html"
    )
    context = {"form": form, "saved": saved, "vapid_public_key": settings.VAPID_PUBLIC_KEY}
    return render(request, template, context, status=status)


def _is_push_service(endpoint: str) -> bool:
    """An https URL on a known push service's host (the worker will POST there)."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    known = any(host == allowed or host.endswith("." + allowed) for allowed in settings.PUSH_SERVICE_HOSTS)
    return parts.scheme == "https" and known


def _subscription_from(request: HttpRequest) -> dict | None:
    """{endpoint, p256dh, auth} from a PushSubscription's JSON, or None if it is not one."""
    if len(request.body) > MAX_SUBSCRIPTION_BYTES:
        return None
    try:
        data = json.loads(request.body)
        endpoint, keys = data["endpoint"], data.get("keys") or {}
        p256dh, auth = keys.get("p256dh"), keys.get("auth")
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if not (isinstance(endpoint, str) and isinstance(p256dh, str) and isinstance(auth, str)):
        return None
    if not (endpoint and p256dh and auth):
        return None
    if not _is_push_service(endpoint):
        return None
    if len(endpoint) > 1000 or len(p256dh) > 200 or len(auth) > 100:
        return None
    return {"endpoint": endpoint, "p256dh": p256dh, "auth": auth}


@login_required
@require_POST
def push_subscribe(request: UserRequest) -> HttpResponse:
    """Save (or refresh, on every open of the app) this browser's push subscription."""
    fields = _subscription_from(request)
    if fields is None:
        return JsonResponse({"error": "not a push subscription"}, status=400)
    endpoint = fields.pop("endpoint")
    # An endpoint belongs to one browser: whoever is signed in there now owns it.
    _subscription, created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={**fields, "user": request.user}
    )
    return JsonResponse({"saved": True}, status=201 if created else 200)


@login_required
@require_POST
def push_unsubscribe(request: UserRequest) -> HttpResponse:
    fields = _subscription_from(request)
    if fields is None:
        return JsonResponse({"error": "not a push subscription"}, status=400)
    deleted, _ = PushSubscription.objects.filter(user=request.user, endpoint=fields["endpoint"]).delete()
    if not deleted:
        return JsonResponse({"error": "no such subscription"}, status=404)
    return HttpResponse(status=204)


# The app shell the service worker keeps for offline use.
SHELL_STATIC = ["css/attune.css", "css/notifications.css", "js/attune.js", "js/phone.js", "icons/icon.svg"]


@require_GET
@never_cache  # a new worker (new static hashes) must reach phones at once
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site root so that its scope is the whole site."""
    shell = [static(path) for path in SHELL_STATIC]
    response = render(
        request,
        "notifications/sw.js",
        {
            "version": hashlib.sha256(" ".join(shell).encode()).hexdigest()[:12],
            "offline_url": reverse("notifications:offline"),
            "shell": shell,
            "static_prefix": settings.STATIC_URL,
            "icon_url": static("icons/icon-192.png"),
        },
        content_type="text/javascript",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=0, public=True)
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows when a page cannot be fetched."""
    return render(request, "notifications/offline.html")
