from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import SettingsForm
from .http import UserRequest


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: UserRequest) -> HttpResponse:
    form = SettingsForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect("accounts:settings")
        status = 422
    else:
        status = 200
    template = "accounts/settings.html#settings-form" if request.htmx else "accounts/settings.html"
    return render(request, template, {"form": form}, status=status)
