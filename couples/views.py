import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.http import UserRequest

from . import services
from .decorators import couple_required
from .forms import CoupleTimeZoneForm
from .http import CoupleRequest
from .models import Couple, Invite, JoinState

PENDING_INVITE_SESSION_KEY = "attune_pending_invite"


def _qr_svg(url: str) -> str:
    # segno writes an SVG with presentation attributes only (no style=""), so it passes
    # a CSP without 'unsafe-inline'.
    return segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#1f1a17", light="#ffffff", omitsize=True)


def _paired_context(request: UserRequest, couple: Couple, form: CoupleTimeZoneForm | None = None) -> dict:
    return {
        "couple": couple,
        "partner": couple.partner_of(request.user),
        "days_together": couple.days_together(),
        "days_shared": couple.days_shared(),
        "time_zone_form": form or CoupleTimeZoneForm(instance=couple),
    }


@login_required
@require_http_methods(["GET"])
def couple(request: UserRequest) -> HttpResponse:
    return _couple_page(request)


def _couple_page(request: UserRequest, status: int = 200) -> HttpResponse:
    current = Couple.objects.current_for(request.user)
    if current is not None:
        return render(request, "couples/couple.html", _paired_context(request, current))
    invite = Invite.objects.pending().filter(inviter=request.user).order_by("-created_at").first()
    context = {"invite": invite}
    if invite:
        link = request.build_absolute_uri(reverse("couples:join", args=[invite.token]))
        context |= {"invite_link": link, "qr_svg": _qr_svg(link)}
    return render(request, "couples/couple.html", context, status=status)


@login_required
@require_GET
def couple_status(request: UserRequest) -> HttpResponse:
    """Polled every 5 s by the inviter's waiting invite page: 204 until the partner
    joins, then the browser moves on to the first question."""
    current = Couple.objects.current_for(request.user)
    if current is None:
        return HttpResponse(status=204) if request.htmx else redirect("couples:couple")
    partner = current.partner_of(request.user)
    name = partner.name if partner else ""
    messages.success(request, _("%(name)s joined you. Here is your first question.") % {"name": name})
    if request.htmx:
        return HttpResponseClientRedirect(reverse("prompts:today"))
    return redirect("prompts:today")


@login_required
@require_POST
def create_invite(request: UserRequest) -> HttpResponse:
    if Couple.objects.of(request.user).exists():
        messages.info(request, _("You are already paired."))
        return redirect("couples:couple")
    try:
        services.create_invite(inviter=request.user)
    except services.TooManyInvites:
        messages.error(
            request, _("That is a lot of new links for one day. Share the one below, or make another tomorrow.")
        )
        return _couple_page(request, status=429)
    return redirect("couples:couple")


@couple_required
@require_POST
def time_zone(request: CoupleRequest) -> HttpResponse:
    form = CoupleTimeZoneForm(request.POST, instance=request.couple)
    if not form.is_valid():
        return render(request, "couples/couple.html", _paired_context(request, request.couple, form), status=422)
    form.save()
    Couple.forget_members_of(member.pk for member in request.couple.members)
    messages.success(request, _("Your shared time zone is now %(zone)s.") % {"zone": request.couple.time_zone})
    return redirect("couples:couple")


@couple_required
@require_POST
def unpair(request: CoupleRequest) -> HttpResponse:
    """Two steps: the couple page's button asks, and only the second form, which says
    what happens, ends the couple (a stray tap or a forged form cannot)."""
    if request.POST.get("confirm") != "yes":
        return render(request, "couples/unpair.html", {"partner": request.partner})
    services.unpair(couple=request.couple)
    messages.info(
        request,
        _("You are no longer paired. Your own answers stay in your history, and you can still download them."),
    )
    return redirect("couples:couple")


# A join page that cannot go ahead says why with its status too.
JOIN_STATUS = {JoinState.GONE: 410, JoinState.PAIRED: 409}


def _join_page(request: HttpRequest, invite: Invite, state: JoinState) -> HttpResponse:
    context = {"invite": invite, "inviter": invite.inviter, "state": state, "JoinState": JoinState}
    if state == JoinState.PAIRED:
        current = Couple.objects.current_for(request.user)
        context["partner"] = current.partner_of(request.user) if current else None
    return render(request, "couples/join.html", context, status=JOIN_STATUS.get(state, 200))


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows (link previews must not use the invite up); POST accepts."""
    invite = get_object_or_404(Invite.objects.select_related("inviter"), token=token)
    outcome = invite.outcome_for(request.user)

    # Already in a couple comes first: it is the answer that helps (a link to today),
    # and it is what the loser of crossed invites sees whatever the invite's state.
    if request.user.is_authenticated and outcome != Invite.Outcome.OWN and Couple.objects.of(request.user).exists():
        request.session.pop(PENDING_INVITE_SESSION_KEY, None)
        return _join_page(request, invite, JoinState.PAIRED)
    if outcome == Invite.Outcome.GONE:
        request.session.pop(PENDING_INVITE_SESSION_KEY, None)
        return _join_page(request, invite, JoinState.GONE)
    if not request.user.is_authenticated:
        request.session[PENDING_INVITE_SESSION_KEY] = token
        if request.method == "POST":
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return _join_page(request, invite, JoinState.SIGNED_OUT)
    if outcome == Invite.Outcome.OWN:
        request.session.pop(PENDING_INVITE_SESSION_KEY, None)
        return _join_page(request, invite, JoinState.OWN)
    if request.method == "GET":
        return _join_page(request, invite, JoinState.OPEN)

    try:
        services.accept_invite(invite=invite, user=request.user)
    except services.InviteGone:
        return _join_page(request, invite, JoinState.GONE)
    except services.AlreadyPaired:
        return _join_page(request, invite, JoinState.PAIRED)
    request.session.pop(PENDING_INVITE_SESSION_KEY, None)
    messages.success(
        request, _("You and %(name)s are paired. Here is your first question.") % {"name": invite.inviter.name}
    )
    return redirect("prompts:today")
