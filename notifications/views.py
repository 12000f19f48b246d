from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .delivery import user_for_unsubscribe_token


# The signed token in the URL is the credential, and mail clients POST here without a
# CSRF token (RFC 8058 one-click unsubscribe); the only effect is to stop our emails.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_unsubscribe_token(token)
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"state": "invalid"}, status=404)
    if request.method == "POST":
        user.reminder_enabled = False
        user.save(update_fields=["reminder_enabled", "next_reminder_at"])
        return render(request, "notifications/unsubscribe.html", {"state": "done", "subscriber": user})
    return render(request, "notifications/unsubscribe.html", {"state": "confirm", "subscriber": user})
