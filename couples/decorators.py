from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts.http import UserRequest
from core.http import unwrap_user

from .http import CoupleRequest
from .models import Couple

# The session's note of the couple it last found: [id, time zone]. Only a guess, to name
# the cache keys a view reads along with the couple; the couple itself always comes
# from the cache entry or the database, and a guess that does not match it is dropped.
COUPLE_HINT = "attune_couple_hint"

# Given the request and a couple's (id, time zone), the cache keys its view will read.
Prefetch = Callable[[UserRequest, int, str], list[str]]


def couple_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and paired; sets request.couple and request.partner for the view.

    Without a partner there is nothing couple-scoped to show: go to /couple/.
    """
    return _couple_view(view, prefetch=None)


def couple_required_prefetching(
    prefetch: Prefetch,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """couple_required, and the cache keys `prefetch` names read in the same round trip
    as the couple (request.prefetched), named from the couple the session saw last. The
    view reads them with its own keys, and reads itself any key it did not get."""
    return lambda view: _couple_view(view, prefetch=prefetch)


def _couple_view(view: Callable[..., HttpResponse], *, prefetch: Prefetch | None) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: CoupleRequest, *args, **kwargs) -> HttpResponse:
        unwrap_user(request)
        if prefetch:
            couple, request.prefetched = current_couple_prefetching(request, prefetch)
        else:
            couple = Couple.objects.current_for(request.user)
        if couple is None:
            if request.htmx:
                return HttpResponseClientRedirect(reverse("couples:couple"))
            return redirect("couples:couple")
        request.couple = couple
        request.partner = couple.partner_of(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def current_couple_prefetching(request: UserRequest, prefetch: Prefetch) -> tuple[Couple | None, dict[str, Any]]:
    """Couple.objects.current_for(request.user), and the cache values of the keys
    `prefetch` names, read in the same round trip (as couple_required_prefetching gives
    them; also for a view open to a user without a couple, as history is)."""
    prefetched: dict[str, Any] = {}
    hint = request.session.get(COUPLE_HINT)
    if not hint:
        couple = Couple.objects.current_for(request.user)
    else:
        couple_key = Couple.cache_key_for(request.user.pk)
        keys = prefetch(request, *hint)
        found = cache.get_many([couple_key, *keys])
        couple = Couple.objects.current_as_remembered(request.user, found.pop(couple_key, None))
        if couple is not None and [couple.pk, couple.time_zone] == hint:
            # Read for the right couple: what was found, and None for each miss.
            prefetched = {key: found.get(key) for key in keys}
    if couple is not None and hint != [couple.pk, couple.time_zone]:
        request.session[COUPLE_HINT] = [couple.pk, couple.time_zone]
    return couple, prefetched
