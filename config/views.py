import sys

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from couples.models import Couple, Invite
from couples.views import PENDING_INVITE_SESSION_KEY

from .celery import app as celery_app

ERROR_STYLESHEET = "css/attune.css"


def _error_stylesheet_url() -> str:
    """The hashed stylesheet (cached for a year, never stale after a deploy), or its
    plain name when the manifest cannot say: a 500 may come from exactly that, and
    WhiteNoise serves the plain name too."""
    try:
        return static(ERROR_STYLESHEET)
    except Exception:
        return settings.STATIC_URL + ERROR_STYLESHEET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home.html")
    if Couple.objects.of(request.user).exists():
        return redirect("prompts:today")
    # An invite opened before signing up or in: pick it up again (the ?next= link is
    # the main road; this is the fallback when it got lost on the way).
    invite = Invite.objects.filter(token=request.session.get(PENDING_INVITE_SESSION_KEY) or "").first()
    if invite is not None and invite.outcome_for(request.user) == Invite.Outcome.OPEN:
        return redirect("couples:join", token=invite.token)
    request.session.pop(PENDING_INVITE_SESSION_KEY, None)
    return redirect("couples:couple")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    body = {name: "ok" if ok else "unreachable" for name, ok in checks.items()}
    return JsonResponse({"status": "ok" if healthy else "unhealthy", **body}, status=200 if healthy else 503)


@require_http_methods(["GET", "POST"])
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin signs in where everyone does: allauth's form, with its rate limits
    (wrong passwords per address and per account). Django's own admin form has none,
    so it is never shown and a password posted to it is never checked."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    login = reverse("account_login")
    return redirect(f"{login}?{urlencode({'next': next_url or reverse('admin:index')})}")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database that went away mid-request (a restart, a failover) gets a
    calm 503 that says to try again, and the next request reconnects by itself
    (CONN_HEALTH_CHECKS); anything else is our 500 page. Like Django's, neither uses a
    request context (its processors may need the database that just failed): only the
    stylesheet's URL."""
    context = {"stylesheet_url": _error_stylesheet_url()}
    if isinstance(sys.exc_info()[1], DatabaseError):
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = "5"
        return response
    return HttpResponse(loader.get_template("500.html").render(context), status=500)
