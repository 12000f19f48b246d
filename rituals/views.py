from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.http import UserRequest
from couples.decorators import couple_required
from couples.http import CoupleRequest
from couples.models import Couple

from . import services
from .calendar import feed_for
from .forms import DeclineForm, MarkForm, RatingForm, ReminderForm, RitualForm
from .library import entry_for
from .library import library as library_entries
from .models import (
    DEFAULT_REMINDER_MINUTES,
    CalendarFeed,
    Completion,
    Guide,
    Occurrence,
    Rating,
    Reminder,
    Ritual,
    RitualState,
    occurrences_with_outcomes,
)
from .recurrence import day_bounds, instant_from_key
from .summary import four_weeks

UPCOMING_DAYS = 7


def _get_ritual_for_couple(couple: Couple, pk: int) -> Ritual:
    """The one place a ritual is looked up by id: another couple's ritual is a 404."""
    ritual = get_object_or_404(Ritual, pk=pk, couple=couple)
    ritual.couple = couple  # with its members, already loaded
    return ritual


def _get_occurrence_for_couple(couple: Couple, pk: int, key: str) -> Occurrence:
    """A ritual's occurrence by its start (20260308T073000Z), with its completion and
    ratings; a time the ritual does not happen at is a 404."""
    ritual = _get_ritual_for_couple(couple, pk)
    instant = instant_from_key(key)
    occurrence = ritual.occurrence_at(instant) if instant else None
    if occurrence is None:
        raise Http404
    completion = (
        Completion.objects.filter(ritual=ritual, occurs_at=occurrence.starts_at)
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.order_by("created_at")))
        .first()
    )
    occurrence.completion = completion
    occurrence.outcome = completion.outcome if completion else None
    return occurrence


def _redirect(request: CoupleRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _upcoming(couple: Couple, rituals: list[Ritual], now: datetime) -> list[tuple]:
    """The next seven local days with the active rituals' occurrences, each with its outcome."""
    today = couple.local_date(now)
    start = day_bounds(today, couple.zone)[0]
    end = day_bounds(today + timedelta(days=UPCOMING_DAYS - 1), couple.zone)[1]
    for ritual in rituals:
        ritual.couple = couple
    days: dict = {today + timedelta(days=n): [] for n in range(UPCOMING_DAYS)}
    for occurrence in occurrences_with_outcomes(rituals, start, end):
        days.setdefault(occurrence.local_start.date(), []).append(occurrence)
    return list(days.items())


@couple_required
@require_GET
def index(request: CoupleRequest) -> HttpResponse:
    couple = request.couple
    everything = list(Ritual.objects.of_couple(couple))
    active = [ritual for ritual in everything if ritual.is_active]
    rituals = [ritual for ritual in everything if not ritual.is_active]
    context = {
        "partner": request.partner,
        "days": _upcoming(couple, active, timezone.now()),
        "active": active,
        "waiting_for_me": [ritual for ritual in rituals if ritual.awaits_answer_from(request.user)],
        "waiting_for_partner": [
            ritual
            for ritual in rituals
            if ritual.state == RitualState.PROPOSED and not ritual.awaits_answer_from(request.user)
        ],
        "paused": [ritual for ritual in rituals if ritual.state == RitualState.PAUSED],
        "declined": [ritual for ritual in rituals if ritual.state == RitualState.DECLINED],
    }
    template = "rituals/index.html#rituals-week" if request.htmx else "rituals/index.html"
    return render(request, template, context)


@couple_required
@require_GET
def library(request: CoupleRequest) -> HttpResponse:
    template = "rituals/library.html#ritual-library" if request.htmx else "rituals/library.html"
    return render(request, template, {"entries": list(library_entries().values())})


def _initial_from_library(key: str, couple: Couple) -> dict:
    entry = entry_for(key)
    if entry is None:
        return {}
    schedule = entry.schedule
    return {
        "title": entry.title,
        "instructions": entry.instructions,
        "pillar": entry.pillar,
        "cadence": schedule.cadence,
        "weekdays": list(schedule.weekdays),
        "interval": schedule.interval if schedule.interval > 1 else 2,
        "nth": schedule.nth,
        "start_time": entry.start,
        "duration_minutes": entry.duration,
        "starts_on": couple.local_date(),
    }


@couple_required
@require_http_methods(["GET", "POST"])
def new(request: CoupleRequest) -> HttpResponse:
    couple = request.couple
    key = request.POST.get("library_key") or request.GET.get("from", "")
    entry = entry_for(key)
    status = 200
    if request.method == "POST":
        form = RitualForm(request.POST, zone=couple.zone)
        if form.is_valid():
            fields = form.ritual_fields()
            if entry is not None:
                fields.update(library_key=entry.key, guide=entry.guide)
            ritual = services.propose_ritual(couple=couple, user=request.user, fields=fields)
            messages.success(
                request,
                _("%(title)s is proposed. It starts once %(name)s says yes.")
                % {"title": ritual.title, "name": request.partner.name if request.partner else ""},
            )
            return _redirect(request, reverse("rituals:detail", args=[ritual.pk]))
        status = 422
    else:
        initial = _initial_from_library(key, couple) or {"starts_on": couple.local_date(), "duration_minutes": 10}
        form = RitualForm(initial=initial, zone=couple.zone)
    context = {"form": form, "entry": entry, "action": reverse("rituals:new"), "ritual": None}
    template = "rituals/form.html#ritual-form" if request.htmx else "rituals/form.html"
    return render(request, template, context, status=status)


@couple_required
@require_http_methods(["GET", "POST"])
def edit(request: CoupleRequest, pk: int) -> HttpResponse:
    ritual = _get_ritual_for_couple(request.couple, pk)
    status = 200
    if request.method == "POST":
        form = RitualForm(request.POST, zone=request.couple.zone, kept_dates=(ritual.starts_on, ritual.ends_on))
        if form.is_valid():
            services.update_ritual(ritual=ritual, user=request.user, fields=form.ritual_fields())
            if ritual.state == RitualState.PROPOSED:  # this person's proposal now
                name = request.partner.name if request.partner else ""
                messages.success(request, _("Saved. It starts once %(name)s says yes.") % {"name": name})
            else:
                messages.success(request, _("Saved."))
            return _redirect(request, reverse("rituals:detail", args=[ritual.pk]))
        status = 422
    else:
        schedule = ritual.schedule
        form = RitualForm(
            initial={
                "title": ritual.title,
                "instructions": ritual.instructions,
                "pillar": ritual.pillar,
                "cadence": schedule.cadence,
                "weekdays": list(schedule.weekdays),
                "interval": schedule.interval if schedule.interval > 1 else 2,
                "nth": schedule.nth,
                "start_time": ritual.start_time,
                "duration_minutes": ritual.duration_minutes,
                "starts_on": ritual.starts_on,
                "ends_on": ritual.ends_on,
            },
            zone=request.couple.zone,
        )
    context = {"form": form, "entry": None, "action": reverse("rituals:edit", args=[ritual.pk]), "ritual": ritual}
    template = "rituals/form.html#ritual-form" if request.htmx else "rituals/form.html"
    return render(request, template, context, status=status)


def _detail_context(request: CoupleRequest, ritual: Ritual, **extra) -> dict:
    now = timezone.now()
    reminder = Reminder.objects.filter(ritual=ritual, user=request.user).first()
    minutes = reminder.minutes_before if reminder else DEFAULT_REMINDER_MINUTES
    start = day_bounds(request.couple.local_date(now), request.couple.zone)[0]
    upcoming = occurrences_with_outcomes([ritual], start, now + timedelta(days=UPCOMING_DAYS))[:5]
    return {
        "ritual": ritual,
        "partner": request.partner,
        "RitualState": RitualState,
        "awaits_me": ritual.awaits_answer_from(request.user),
        "decline_form": extra.get("decline_form") or DeclineForm(),
        "reminder_form": ReminderForm(initial={"minutes_before": "" if minutes is None else str(minutes)}),
        "upcoming": upcoming,
    }


def _render_detail(request: CoupleRequest, ritual: Ritual, status: int = 200, **extra) -> HttpResponse:
    template = "rituals/detail.html#ritual-card" if request.htmx else "rituals/detail.html"
    return render(request, template, _detail_context(request, ritual, **extra), status=status)


@couple_required
@require_GET
def detail(request: CoupleRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get_ritual_for_couple(request.couple, pk))


def _after_change(request: CoupleRequest, ritual: Ritual, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:
        return _render_detail(request, ritual)
    return redirect("rituals:detail", ritual.pk)


def _not_now(request: CoupleRequest, ritual: Ritual) -> HttpResponse:
    messages.info(request, _("That has already changed. Here is where it stands now."))
    ritual.refresh_from_db()
    ritual.couple = request.couple
    if request.htmx:
        return _render_detail(request, ritual)
    return redirect("rituals:detail", ritual.pk)


@couple_required
@require_POST
def accept(request: CoupleRequest, pk: int) -> HttpResponse:
    ritual = _get_ritual_for_couple(request.couple, pk)
    try:
        services.accept_ritual(ritual=ritual, user=request.user)
    except services.NotAllowed:
        return _not_now(request, ritual)
    return _after_change(request, ritual, _("Yes it is. %(title)s is one of your rituals now.") % {"title": ritual})


@couple_required
@require_POST
def decline(request: CoupleRequest, pk: int) -> HttpResponse:
    ritual = _get_ritual_for_couple(request.couple, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, ritual, status=422, decline_form=form)
    try:
        services.decline_ritual(ritual=ritual, user=request.user, note=form.cleaned_data["note"])
    except services.NotAllowed:
        return _not_now(request, ritual)
    return _after_change(request, ritual, _("Declined, kindly. It stays here in case you change your minds."))


@couple_required
@require_POST
def pause(request: CoupleRequest, pk: int) -> HttpResponse:
    ritual = _get_ritual_for_couple(request.couple, pk)
    try:
        services.pause_ritual(ritual=ritual)
    except services.NotAllowed:
        return _not_now(request, ritual)
    return _after_change(request, ritual, _("Paused. No reminders until you resume it."))


@couple_required
@require_POST
def resume(request: CoupleRequest, pk: int) -> HttpResponse:
    ritual = _get_ritual_for_couple(request.couple, pk)
    try:
        services.resume_ritual(ritual=ritual)
    except services.NotAllowed:
        return _not_now(request, ritual)
    return _after_change(request, ritual, _("Welcome back. %(title)s is on again.") % {"title": ritual})


@couple_required
@require_POST
def delete(request: CoupleRequest, pk: int) -> HttpResponse:
    ritual = _get_ritual_for_couple(request.couple, pk)
    services.delete_ritual(ritual=ritual)
    messages.success(request, _("%(title)s is removed.") % {"title": ritual})
    return _redirect(request, reverse("rituals:index"))


@couple_required
@require_POST
def reminder(request: CoupleRequest, pk: int) -> HttpResponse:
    ritual = _get_ritual_for_couple(request.couple, pk)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick one of the reminder choices."))
        return _render_detail(request, ritual, status=422)
    services.set_reminder(ritual=ritual, user=request.user, minutes_before=form.cleaned_data["minutes_before"])
    return _after_change(request, ritual, _("Your reminder is set."))


# --- Occurrences ------------------------------------------------------------------------


def _occurrence_context(request: CoupleRequest, occurrence: Occurrence, **extra) -> dict:
    mine = theirs = None
    if occurrence.completion is not None:
        mine, theirs = occurrence.completion.ratings_visible_to(request.user)
    return {
        "occurrence": occurrence,
        "ritual": occurrence.ritual,
        "partner": request.partner,
        "mine": mine,
        "theirs": theirs,
        "rating_form": extra.get("rating_form") or RatingForm(initial={"score": mine.score if mine else None}),
        "can_mark": occurrence.is_markable and occurrence.ritual.is_active,
    }


@couple_required
@require_GET
def occurrence(request: CoupleRequest, pk: int, key: str) -> HttpResponse:
    return _render_occurrence(request, _get_occurrence_for_couple(request.couple, pk, key))


@couple_required
@require_POST
def mark(request: CoupleRequest, pk: int, key: str) -> HttpResponse:
    found = _get_occurrence_for_couple(request.couple, pk, key)
    form = MarkForm(request.POST)
    if not form.is_valid() or not found.is_markable or not found.ritual.is_active:
        messages.info(request, _("This one can be marked on its day, while the ritual is on."))
        status = 422
    else:
        try:
            completion = services.mark_occurrence(
                ritual=found.ritual, occurs_at=found.starts_at, user=request.user, outcome=form.cleaned_data["outcome"]
            )
        except services.NotAllowed:
            messages.info(request, _("You have rated this one already, so it stays done."))
            status = 422
        else:
            found.completion, found.outcome = completion, completion.outcome
            status = 200
    if request.htmx:
        # The row that was pressed (on /rituals/ or /today/) shows its new state.
        return render(request, "rituals/occurrence.html#occurrence-row", {"occurrence": found}, status=status)
    return redirect("rituals:occurrence", pk, key)


@couple_required
@require_POST
def rate(request: CoupleRequest, pk: int, key: str) -> HttpResponse:
    found = _get_occurrence_for_couple(request.couple, pk, key)
    form = RatingForm(request.POST)
    if found.completion is None or not found.is_done:
        messages.info(request, _("Once it is marked done, you can each say how close you felt."))
        return _render_occurrence(request, found, status=422)
    if not form.is_valid():
        return _render_occurrence(request, found, status=422, rating_form=form)
    try:
        services.rate_closeness(completion=found.completion, user=request.user, score=form.cleaned_data["score"])
    except services.NotAllowed:
        # Both had rated (the reveal is final), or it was just marked skipped.
        found = _get_occurrence_for_couple(request.couple, pk, key)
        if found.is_done:
            messages.info(request, _("You have both rated this one, so your numbers stay as they were shown."))
        else:
            messages.info(request, _("Once it is marked done, you can each say how close you felt."))
        return _render_occurrence(request, found, status=422)
    if request.htmx:
        return _render_occurrence(request, _get_occurrence_for_couple(request.couple, pk, key))
    return redirect("rituals:occurrence", pk, key)


def _render_occurrence(request: CoupleRequest, found: Occurrence, status: int = 200, **extra) -> HttpResponse:
    template = "rituals/occurrence.html#occurrence-card" if request.htmx else "rituals/occurrence.html"
    return render(request, template, _occurrence_context(request, found, **extra), status=status)


# --- Four weeks, calendar, guides -----------------------------------------------------------


@couple_required
@require_GET
def summary(request: CoupleRequest) -> HttpResponse:
    rows = four_weeks(request.couple, now=timezone.now())
    template = "rituals/summary.html#four-weeks" if request.htmx else "rituals/summary.html"
    return render(request, template, {"rows": rows})


def _calendar_context(request: CoupleRequest) -> dict:
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = settings.SITE_URL + reverse("rituals:feed", args=[feed.token]) if feed else ""
    return {"feed": feed, "feed_url": url}


@couple_required
@require_GET
def calendar(request: CoupleRequest) -> HttpResponse:
    template = "rituals/calendar.html#calendar-feed" if request.htmx else "rituals/calendar.html"
    return render(request, template, _calendar_context(request))


@couple_required
@require_POST
def calendar_regenerate(request: CoupleRequest) -> HttpResponse:
    had_one = CalendarFeed.objects.filter(user=request.user).exists()
    services.regenerate_feed_token(user=request.user)
    if had_one:
        messages.success(request, _("Here is a new address. The old one no longer works."))
    if request.htmx:
        return render(request, "rituals/calendar.html#calendar-feed", _calendar_context(request))
    return redirect("rituals:calendar")


@require_GET
def feed(request, token: str) -> HttpResponse:
    """The private calendar: no sign-in (calendar apps cannot), the token is the key."""
    found = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if found is None:
        raise Http404
    couple = Couple.objects.current_for(found.user)
    rituals = list(Ritual.objects.of_couple(couple).active()) if couple else []
    for ritual in rituals:
        ritual.couple = couple
    response = HttpResponse(feed_for(rituals, now=timezone.now()), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_GET
def guides(request: UserRequest) -> HttpResponse:
    template = "rituals/guides.html#guide-list" if request.htmx else "rituals/guides.html"
    return render(request, template, {"guides": Guide.choices})


@login_required
@require_GET
def guide(request: UserRequest, slug: str) -> HttpResponse:
    if slug not in Guide.values:
        raise Http404
    template = f"rituals/guides/{slug}.html"
    return render(request, f"{template}#{slug}-guide" if request.htmx else template, {"guide": Guide(slug)})
