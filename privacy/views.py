import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import UserRequest

from . import services
from .export import export_for


def _download(content: str, *, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"attune-{timezone.now().date().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_json(request: UserRequest) -> HttpResponse:
    content = json.dumps(export_for(request.user), ensure_ascii=False, indent=2)
    return _download(content, content_type="application/json; charset=utf-8", extension="json")


@login_required
@require_GET
def export_markdown(request: UserRequest) -> HttpResponse:
    content = render_to_string("privacy/export.md", {"data": export_for(request.user)}, request=request)
    return _download(content, content_type="text/markdown; charset=utf-8", extension="md")


@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete_account(request: UserRequest) -> HttpResponse:
    """Signed in again within the last few minutes (allauth's reauthentication, by
    password or code), then a form that says what goes and asks for a typed word."""
    typed = request.POST.get("confirm", "") if request.method == "POST" else ""
    if request.method == "POST" and typed.strip().lower() == _("delete").lower():
        services.delete_account(user=request.user)
        logout(request)
        messages.info(request, _("Your account and everything in it are deleted."))
        return redirect("home")
    status = 422 if request.method == "POST" else 200
    error = _("Type “delete” to confirm.") if request.method == "POST" else ""
    template = "privacy/delete.html#delete-form" if request.htmx else "privacy/delete.html"
    return render(request, template, {"typed": typed, "error": error}, status=status)
