import datetime
from collections.abc import Iterable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from accounts.http import UserRequest
from accounts.models import User
from core.prepared import Prepared
from couples.decorators import couple_required
from couples.http import CoupleRequest
from couples.models import Couple
from rituals.models import Ritual

from . import search, services
from .forms import (
    AnswerForm,
    FavouriteForm,
    HistoryFilterForm,
    LibraryBrowseForm,
    LibrarySendForm,
    OwnQuestionForm,
    PromptPreferencesForm,
    SwapForm,
)
from .library import suggestion_for
from .models import Answer, DailyPrompt, Format, Prompt, PromptPreferences, PromptQueueEntry, TodayState

HISTORY_PAGE_SIZE = search.PAGE_SIZE


def _get_day_for_couple(couple: Couple, pk: int) -> DailyPrompt:
    """The one place a day is looked up by id: another couple's day is a 404."""
    return get_object_or_404(DailyPrompt.objects.select_related("prompt"), pk=pk, couple=couple)


def _by_members(answers: Iterable[Answer], couple: Couple) -> list[Answer]:
    """Point each answer at its author among the couple's members, already loaded with
    the couple, rather than joining the users table again."""
    members = {member.pk: member for member in couple.members}
    answers = list(answers)
    for answer in answers:
        if answer.user_id in members:
            answer.user = members[answer.user_id]
    return answers


def _mine_and_theirs(answers: Iterable[Answer], user: User) -> tuple[Answer | None, Answer | None]:
    """Split answers already filtered by Answer.objects.visible_to(user)."""
    mine = next((answer for answer in answers if answer.user_id == user.pk), None)
    theirs = next((answer for answer in answers if answer.user_id != user.pk), None)
    return mine, theirs


def _today_context(request: CoupleRequest, daily_prompt: DailyPrompt, form: AnswerForm | None = None) -> dict:
    """Everything the today card needs, read through the one visibility rule."""
    user = request.user
    mine, theirs = _mine_and_theirs(_by_members(daily_prompt.answers_visible_to(user), request.couple), user)
    state = daily_prompt.state_for(user)
    if state == TodayState.REVEALED:
        daily_prompt.remember_seen_by(user)
    if form is None and state != TodayState.REVEALED:
        form = AnswerForm(
            initial={"day": daily_prompt.pk, "prompt": daily_prompt.prompt_id, "text": mine.text if mine else ""}
        )
    return {
        "daily_prompt": daily_prompt,
        "prompt": daily_prompt.prompt,
        "partner": request.partner,
        "mine": mine,
        "theirs": theirs,
        "state": state,
        "partner_answered": state == TodayState.ANSWER and daily_prompt.partner_has_answered(user),
        "TodayState": TodayState,
        "form": form,
        "suggestion": suggestion_for(daily_prompt.date, daily_prompt.couple_id) if state == TodayState.WAITING else "",
    }


@couple_required
@require_http_methods(["GET", "POST"])
def today(request: CoupleRequest) -> HttpResponse:
    daily_prompt = services.ensure_daily_prompt(couple=request.couple)  # cached after the first visit
    status = 200
    form = None
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            answered = daily_prompt
            if form.cleaned_data["day"] not in (None, daily_prompt.pk):
                answered = _get_day_for_couple(request.couple, form.cleaned_data["day"])
            if form.cleaned_data["prompt"] not in (None, answered.prompt_id):
                return _question_swapped(request, answered, form.cleaned_data["text"])
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
            # This answer may have revealed the day: read it again.
            daily_prompt = _get_day_for_couple(request.couple, daily_prompt.pk)
            form = None
        else:
            status = 422
    context = _today_context(request, daily_prompt, form)
    if not request.htmx:
        context["todays_rituals"] = Ritual.objects.occurring_on(request.couple, daily_prompt.date)
    template = "prompts/today.html#today-card" if request.htmx else "prompts/today.html"
    return render(request, template, context, status=status)


def _question_swapped(request: CoupleRequest, daily_prompt: DailyPrompt, text: str) -> HttpResponse:
    """An answer written to a question the couple has since swapped: not saved to the
    new one; the new question, with the words kept in the box."""
    form = AnswerForm(initial={"day": daily_prompt.pk, "prompt": daily_prompt.prompt_id, "text": text})
    context = _today_context(request, daily_prompt, form)
    context["swapped_under_you"] = True
    template = "prompts/today.html#today-card" if request.htmx else "prompts/today.html"
    # 409 says what happened; htmx swaps in only 2xx and 422 (base.html's htmx-config).
    return render(request, template, context, status=422 if request.htmx else 409)


_SWAP_REFUSED = {
    services.SwapRefused.ANSWERED: _("One of you has answered already, so today's question stays."),
    services.SwapRefused.SWAPPED: _("Today's question has been swapped once already. It stays until tomorrow."),
    services.SwapRefused.SENT: _("This question was sent by one of you, so it stays."),
    services.SwapRefused.STALE: _("Today's question has changed since that page was opened. Here it is."),
}


@couple_required
@require_POST
def swap(request: CoupleRequest) -> HttpResponse:
    """Another question for today, for both partners: once a day, before either answers."""
    form = SwapForm(request.POST)
    daily_prompt = services.ensure_daily_prompt(couple=request.couple)
    if not form.is_valid() or form.cleaned_data["day"] != daily_prompt.pk:
        messages.info(request, _SWAP_REFUSED[services.SwapRefused.STALE])
    else:
        try:
            services.swap_daily_prompt(
                couple=request.couple, daily_prompt=daily_prompt, prompt_id=form.cleaned_data["prompt"]
            )
        except services.SwapRefused as refused:
            messages.info(request, _SWAP_REFUSED[refused.reason])
        else:
            messages.success(request, _("Here is another question. You both see this one now."))
    return HttpResponseClientRedirect(reverse("prompts:today")) if request.htmx else redirect("prompts:today")


@login_required
@require_GET
def today_status(request: UserRequest, pk: int) -> HttpResponse:
    """Polled every 5 s by a partner who is waiting: 204 (nothing to swap) until the day
    is revealed, then the revealed card, swapped in place of the whole waiting card.

    While nothing has changed it answers from the cache alone, for the cost of a signed-in
    request: the user's couple, the day's couple, and no reveal mark. Anything else (a
    reveal, an unpair, a cold cache) takes the full road through the database.
    """
    user_key = Couple.cache_key_for(request.user.pk)
    day_key, revealed_key = DailyPrompt.couple_cache_key(pk), DailyPrompt.revealed_cache_key(pk)
    cached = cache.get_many([user_key, day_key, revealed_key])
    couple_id, day_couple_id = Couple.remembered_id_for(cached.get(user_key)), cached.get(day_key)
    if couple_id and day_couple_id and revealed_key not in cached:
        if couple_id != day_couple_id:
            raise Http404
        return HttpResponse(status=204)
    return _today_status_from_database(request, pk)


@couple_required
def _today_status_from_database(request: CoupleRequest, pk: int) -> HttpResponse:
    request.couple.remember_as_current_for(request.user)
    daily_prompt = _get_day_for_couple(request.couple, pk)
    daily_prompt.remember_couple()
    if daily_prompt.is_revealed:
        daily_prompt.remember_revealed()
    if not daily_prompt.is_revealed_to(request.user):
        return HttpResponse(status=204)
    response = render(request, "prompts/today.html#today-card", _today_context(request, daily_prompt))
    return reswap(retarget(response, "#today"), "outerHTML")


def _before(request: UserRequest) -> datetime.date:
    """The history page's cursor: days before this date (the newest without one; a
    malformed one is read as none)."""
    try:
        return datetime.date.fromisoformat(request.GET.get("before", ""))
    except ValueError:
        return datetime.date.max


@login_required
@require_GET
def history(request: UserRequest) -> HttpResponse:
    """Every day the user answered, in this couple or an earlier one (their own answers
    stay theirs after unpairing; a partner's shows only where visible_to says), newest
    first, a page at a time by date, so a page costs the same on day 10 and day 1,000.
    Filtered by words, family or star through prompts.search, at the same cost."""
    user, before = request.user, _before(request)
    couple = Couple.objects.current_for(user)
    filters = HistoryFilterForm(request.GET)
    status = 200
    if filters.is_valid():
        days = search.search_history(
            user,
            before=before,
            query=filters.cleaned_data["q"],
            family=filters.cleaned_data["family"],
            favourites=filters.cleaned_data["favourites"],
        )
    else:
        days, status = [], 400
    days, more = days[:HISTORY_PAGE_SIZE], len(days) > HISTORY_PAGE_SIZE
    by_day: dict[int, list[Answer]] = {day.pk: [] for day in days}
    filtered = status == 200 and filters.is_filtered()
    if days:
        # A filtered page may skip many days between its first and last: its answers
        # are read by day, not by date range.
        visible = (
            list(Answer.objects.visible_to(user).filter(daily_prompt_id__in=by_day))
            if filtered
            else _HISTORY_ANSWERS.run(user=user.pk, before=before, oldest=days[-1].date)
        )
        for answer in _by_members(visible, couple) if couple else visible:
            by_day[answer.daily_prompt_id].append(answer)
    context = {
        "entries": [(day, *_mine_and_theirs(by_day[day.pk], user), _past_side(day, couple)) for day in days],
        "older": days[-1].date if more else None,
        "is_latest": before == datetime.date.max,
        "partner": couple.partner_of(user) if couple else None,
        "filters": filters,
        "filtered": filtered,
        "filter_query": urlencode({k: v for k, v in filters.cleaned_data.items() if v}) if filtered else "",
    }
    template = "prompts/history.html#history-page" if request.htmx else "prompts/history.html"
    return render(request, template, context, status=status)


@couple_required
@require_POST
def favourite(request: CoupleRequest, pk: int) -> HttpResponse:
    """Star or unstar a day's reveal: only a day revealed to the user has one to star."""
    day = _get_day_for_couple(request.couple, pk)
    if not day.is_revealed_to(request.user):
        raise Http404
    form = FavouriteForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Star or unstar: nothing else."), status=400, content_type="text/plain")
    services.set_favourite(daily_prompt=day, user=request.user, on=form.cleaned_data["on"])
    if not request.htmx:
        return redirect("prompts:history")
    day.is_favourite = form.cleaned_data["on"]  # type: ignore[attr-defined]
    return render(request, "prompts/history_favourite.html", {"day": day})


def _past_side(day: DailyPrompt, couple: Couple | None) -> str:
    """What stands for the other answer on a day of an earlier couple: "deleted" when the
    partner deleted their account (their seat went with it) on a revealed day, "earlier"
    otherwise; "" for a day of the current couple."""
    if couple is not None and day.couple_id == couple.pk:
        return ""
    return "deleted" if day.is_revealed and day.seats < 2 else "earlier"  # type: ignore[attr-defined]


# The history page's answers, built once (core.prepared): of the days on the page
# (prompts.search reads those), the answers the user may see.
_HISTORY_ANSWERS = Prepared(
    lambda user, before, oldest: Answer.objects.visible_to(User(pk=user)).filter(
        daily_prompt__date__lt=before, daily_prompt__date__gte=oldest
    ),
    "user",
    dates=("before", "oldest"),
)


LIBRARY_PAGE_SIZE = 10


def _library_page(browse: LibraryBrowseForm) -> dict:
    """A page of one family's library questions, for sending (only free-text ones: the
    daily page answers no other format yet, as in prompts.selection)."""
    if not browse.is_valid() or not browse.cleaned_data["family"]:
        return {"browse": browse}
    family = browse.cleaned_data["family"]
    prompts = Prompt.objects.library().active().filter(format=Format.TEXT, family=family).order_by("depth", "pk")
    page = Paginator(prompts.only("pk", "text", "depth"), LIBRARY_PAGE_SIZE).get_page(browse.cleaned_data["page"])
    return {"browse": browse, "library_family": family, "library_page": page}


def _questions_context(request: CoupleRequest, **forms) -> dict:
    waiting = PromptQueueEntry.objects.waiting().filter(couple=request.couple, sent_by=request.user)
    return {
        **_library_page(forms.get("browse") or LibraryBrowseForm(request.GET)),
        "form": forms.get("form") or PromptPreferencesForm(instance=PromptPreferences.of(request.couple)),
        "own_form": forms.get("own_form") or OwnQuestionForm(),
        "waiting": list(waiting.select_related("prompt")),
        "saved": forms.get("saved", False),
        "sent": forms.get("sent", False),
        "partner": request.partner,
    }


@couple_required
@require_http_methods(["GET", "POST"])
def questions(request: CoupleRequest) -> HttpResponse:
    """The couple's choice of questions: families left out, and how deep they may go."""
    if request.method == "GET":
        context = _questions_context(request)
        return render(request, "prompts/questions.html", context, status=400 if context["browse"].errors else 200)
    preferences = PromptPreferences.of(request.couple)
    form = PromptPreferencesForm(request.POST, instance=preferences)
    if not form.is_valid():
        template = "prompts/questions.html#questions-form" if request.htmx else "prompts/questions.html"
        return render(request, template, _questions_context(request, form=form), status=422)
    services.save_prompt_preferences(couple=request.couple, **form.cleaned_data)
    if not request.htmx:
        messages.success(request, _("Saved. The next new question follows your choice."))
        return redirect("prompts:questions")
    return render(request, "prompts/questions.html#questions-form", _questions_context(request, form=form, saved=True))


@couple_required
@require_POST
def send_question(request: CoupleRequest) -> HttpResponse:
    """A question of one's own for the couple, asked on the next new day."""
    form = OwnQuestionForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.send_question(couple=request.couple, user=request.user, text=form.cleaned_data["text"])
        except services.QueueFull:
            form.add_error(
                "text",
                _("You have %(count)d questions waiting already. Let a few be asked first.")
                % {"count": services.MAX_QUEUED_PER_PERSON},
            )
            status = 422
        else:
            if not request.htmx:
                messages.success(request, _("Sent. It will be the question on a coming day."))
                return redirect("prompts:questions")
            context = _questions_context(request, sent=True)
            return render(request, "prompts/questions.html#own-questions", context)
    else:
        status = 422
    template = "prompts/questions.html#own-questions" if request.htmx else "prompts/questions.html"
    return render(request, template, _questions_context(request, own_form=form), status=status)


_NOT_SENT = {
    services.QueueFull: _("You have %(count)d questions waiting already. Let a few be asked first.")
    % {"count": services.MAX_QUEUED_PER_PERSON},
    services.AlreadyWaiting: _("That question is waiting to be asked already."),
}


@couple_required
@require_POST
def send_library_question(request: CoupleRequest) -> HttpResponse:
    """A library question sent to the couple's queue, shown as the sender's."""
    form = LibrarySendForm(request.POST)
    if not form.is_valid():
        messages.info(request, _("That question could not be sent. Pick one from the list."))
        return redirect("prompts:questions")
    prompt = get_object_or_404(
        Prompt.objects.library().active().filter(format=Format.TEXT), pk=form.cleaned_data["prompt"]
    )
    try:
        services.send_library_question(couple=request.couple, user=request.user, prompt=prompt)
    except (services.QueueFull, services.AlreadyWaiting) as error:
        messages.info(request, _NOT_SENT[type(error)])
    else:
        messages.success(request, _("Sent. It will be the question on a coming day, shown as yours."))
    back = {"family": form.cleaned_data["family"], "page": form.cleaned_data["page"]}
    return redirect(reverse("prompts:questions") + "?" + urlencode({k: v for k, v in back.items() if v}) + "#library")


@couple_required
@require_POST
def withdraw_question(request: CoupleRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(PromptQueueEntry.objects.waiting(), pk=pk, couple=request.couple, sent_by=request.user)
    services.withdraw_question(entry=entry)
    if request.htmx:
        return render(request, "prompts/questions.html#own-questions", _questions_context(request))
    return redirect("prompts:questions")
