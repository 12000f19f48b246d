from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from couples.decorators import couple_required

from . import services
from .forms import AnswerForm
from .library import suggestion_for
from .models import Answer, DailyPrompt

HISTORY_PAGE_SIZE = 20


def _mine_and_theirs(answers, user) -> tuple[Answer | None, Answer | None]:
    """Split answers already filtered by Answer.objects.visible_to(user)."""
    mine = next((answer for answer in answers if answer.user_id == user.pk), None)
    theirs = next((answer for answer in answers if answer.user_id != user.pk), None)
    return mine, theirs


def _today_context(request: HttpRequest, daily_prompt: DailyPrompt, form: AnswerForm | None = None) -> dict:
    """Everything the today card needs, read through the one visibility rule."""
    user = request.user
    answers = list(Answer.objects.visible_to(user).filter(daily_prompt=daily_prompt).select_related("user"))
    mine, theirs = _mine_and_theirs(answers, user)
    if mine is None:
        state = "answer"
    elif theirs is None:
        state = "waiting"
    else:
        state = "revealed"
    if form is None and state != "revealed":
        form = AnswerForm(initial={"day": daily_prompt.pk, "text": mine.text if mine else ""})
    return {
        "daily_prompt": daily_prompt,
        "prompt": daily_prompt.prompt,
        "partner": request.partner,
        "mine": mine,
        "theirs": theirs,
        "state": state,
        "form": form,
        "suggestion": suggestion_for(daily_prompt.date, daily_prompt.couple_id) if state == "waiting" else "",
    }


@couple_required
@require_http_methods(["GET", "POST"])
def today(request: HttpRequest) -> HttpResponse:
    daily_prompt = services.ensure_daily_prompt(couple=request.couple)
    status = 200
    form = None
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            answered = daily_prompt
            if form.cleaned_data["day"] not in (None, daily_prompt.pk):
                answered = get_object_or_404(DailyPrompt, pk=form.cleaned_data["day"], couple=request.couple)
            try:
                services.submit_answer(daily_prompt=answered, user=request.user, text=form.cleaned_data["text"])
            except services.AnswerLocked:
                messages.info(request, _("Both answers are in, so this day is settled. Here they are."))
            if answered != daily_prompt:
                messages.info(
                    request,
                    _(
                        "Your answer is saved with the question you were answering. A new question has arrived for today."
                    ),
                )
                return (
                    HttpResponseClientRedirect(reverse("prompts:today")) if request.htmx else redirect("prompts:today")
                )
            if not request.htmx:
                return redirect("prompts:today")
            form = None
        else:
            status = 422
    context = _today_context(request, daily_prompt, form)
    template = "prompts/today.html#today-card" if request.htmx else "prompts/today.html"
    return render(request, template, context, status=status)


@couple_required
@require_GET
def today_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled while waiting: 204 (nothing to swap) until the day is revealed, then the
    revealed card, swapped in place of the whole waiting card."""
    daily_prompt = get_object_or_404(DailyPrompt.objects.select_related("prompt"), pk=pk, couple=request.couple)
    context = _today_context(request, daily_prompt)
    if context["state"] != "revealed":
        return HttpResponse(status=204)
    response = render(request, "prompts/today.html#today-card", context)
    return reswap(retarget(response, "#today"), "outerHTML")


@couple_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    visible = Answer.objects.visible_to(request.user).select_related("user")
    days = (
        DailyPrompt.objects.filter(couple=request.couple, answers__user=request.user)
        .select_related("prompt")
        .prefetch_related(Prefetch("answers", queryset=visible, to_attr="visible_answers"))
        .order_by("-date")
    )
    page = Paginator(days, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    for day in page:
        day.mine, day.theirs = _mine_and_theirs(day.visible_answers, request.user)
    template = "prompts/history.html#history-page" if request.htmx else "prompts/history.html"
    return render(request, template, {"page": page, "partner": request.partner})
