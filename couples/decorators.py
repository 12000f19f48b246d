from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from core.http import unwrap_user

from .http import CoupleRequest
from .models import Couple


def couple_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and paired; sets request.couple and request.partner for the view.

    Without a partner there is nothing couple-scoped to show: go to /couple/.
    """

    @login_required
    @wraps(view)
    def wrapper(request: CoupleRequest, *args, **kwargs) -> HttpResponse:
        unwrap_user(request)
        couple = Couple.objects.current_for(request.user)
        if couple is None:
            if request.htmx:
                return HttpResponseClientRedirect(reverse("couples:couple"))
            return redirect("couples:couple")
        request.couple = couple
        request.partner = couple.partner_of(request.user)
        return view(request, *args, **kwargs)

    return wrapper
