"""Evenings together: pick a set, answer its questions one at a time, see both answers
once both are in (prompts.evenings; visibility through EveningAnswer.objects.visible_to)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from accounts import safety
from couples.decorators import couple_required
from couples.http import CoupleRequest

from . import services
from .evenings import EveningSet, EveningState, both_answered, get_set, progress_for, shipped
from .forms import EveningAnswerForm
from .models import Evening


def _get_set(slug: str) -> EveningSet:
    evening_set = get_set(slug)
    if evening_set is None:
        raise Http404
    return evening_set


def _get_evening_for_couple(request: CoupleRequest, evening_set: EveningSet) -> Evening | None:
    """The one place an evening is looked up: always the requesting couple's own."""
    return Evening.objects.filter(couple=request.couple, set_slug=evening_set.slug).first()


@couple_required
@require_GET
def evenings(request: CoupleRequest) -> HttpResponse:
    research, sets = shipped()
    started = dict(Evening.objects.filter(couple=request.couple).values_list("set_slug", "pk"))
    return render(
        request,
        "prompts/evenings.html",
        {"sets": sets.values(), "started": started, "research": research, "partner": request.partner},
    )


def _evening_context(request: CoupleRequest, evening_set: EveningSet, evening: Evening | None, form=None) -> dict:
    context: dict[str, object] = {
        "evening_set": evening_set,
        "evening": evening,
        "partner": request.partner,
        "EveningState": EveningState,
    }
    if evening is not None:
        progress = progress_for(evening, evening_set, request.user)
        if form is None and progress.current is not None:
            form = EveningAnswerForm(
                initial={"number": progress.current.number, "text": progress.mine.text if progress.mine else ""}
            )
        context.update(progress=progress, form=form)
    return context


@couple_required
@require_http_methods(["GET", "POST"])
def evening(request: CoupleRequest, slug: str) -> HttpResponse:
    """One set: start it, then answer its current question; both answers show once both are in."""
    evening_set = _get_set(slug)
    evening = _get_evening_for_couple(request, evening_set)
    status, form = 200, None
    if request.method == "POST":
        if evening is None:
            messages.info(request, _("Start the evening first, then the questions come one at a time."))
            return redirect("prompts:evening", slug=slug)
        form = EveningAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.answer_evening_question(
                    evening=evening,
                    evening_set=evening_set,
                    user=request.user,
                    number=form.cleaned_data["number"],
                    text=form.cleaned_data["text"],
                )
            except services.EveningOutOfStep:
                messages.info(request, _("That question has moved on. Here is where you both are now."))
                return redirect("prompts:evening", slug=slug)
            safety.check_writing(request, form.cleaned_data["text"])
            if not request.htmx:
                return redirect("prompts:evening", slug=slug)
            form = None
        else:
            status = 422
    template = "prompts/evening_card.html" if request.htmx else "prompts/evening.html"
    context = _evening_context(request, evening_set, evening, form)
    return render(request, template, context, status=status, using="jinja2")


@couple_required
@require_POST
def evening_start(request: CoupleRequest, slug: str) -> HttpResponse:
    evening_set = _get_set(slug)
    services.start_evening(couple=request.couple, user=request.user, evening_set=evening_set)
    return redirect("prompts:evening", slug=slug)


@couple_required
@require_GET
def evening_status(request: CoupleRequest, slug: str, number: int) -> HttpResponse:
    """Polled every 5 s while waiting on question `number`: 204 until both have
    answered it, then the whole card, swapped in place of the waiting one."""
    evening_set = _get_set(slug)
    evening = _get_evening_for_couple(request, evening_set)
    if evening is None:
        raise Http404
    if number not in both_answered(evening):
        return HttpResponse(status=204)
    response = render(
        request, "prompts/evening_card.html", _evening_context(request, evening_set, evening), using="jinja2"
    )
    return reswap(retarget(response, "#evening"), "outerHTML")
