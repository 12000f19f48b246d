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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from accounts import safety
from accounts.http import UserRequest
from accounts.models import User
from core import clock
from core.http import session_user_id, unwrap_user
from core.prepared import Prepared
from core.urls import url_for
from couples.decorators import couple_required, couple_required_prefetching, current_couple_prefetching
from couples.http import CoupleRequest
from couples.models import Couple
from rituals.models import Ritual

from . import follow_ups, search, services
from .formats import AnswerFormBase, answer_form, describe, initial_for
from .forms import (
    FavouriteForm,
    HistoryFilterForm,
    LibraryBrowseForm,
    LibrarySendForm,
    NoteForm,
    OwnQuestionForm,
    PromptPreferencesForm,
    ReactionForm,
    ReplyForm,
    SwapForm,
)
from .library import exercise_for, suggestion_for
from .models import (
    Answer,
    DailyPrompt,
    FollowUp,
    Format,
    Note,
    Prompt,
    PromptPreferences,
    PromptQueueEntry,
    Reaction,
    ReactionKind,
    TodayState,
    written_words,
)
from .toward import REPLY_MAX_LENGTH, week_together

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


def _mine_and_theirs[R: (Answer, Reaction)](rows: Iterable[R], user: User) -> tuple[R | None, R | None]:
    """Split a day's answers (or reactions), already filtered by what `user` may see."""
    rows = list(rows)
    mine = next((row for row in rows if row.user_id == user.pk), None)
    theirs = next((row for row in rows if row.user_id != user.pk), None)
    return mine, theirs


def _today_context(
    request: CoupleRequest,
    daily_prompt: DailyPrompt,
    form: AnswerFormBase | None = None,
    refusal: str = "",
    swapped_under_you: bool = False,
    seen: bool = False,
) -> dict:
    """Everything the today card needs, read through the one visibility rule; `form`,
    `refusal` and `swapped_under_you` say why a posted answer was not saved (_answer);
    `seen`, that the user's "seen the reveal" mark is known to be set (read_today)."""
    user = request.user
    mine, theirs = _mine_and_theirs(_by_members(daily_prompt.answers_visible_to(user), request.couple), user)
    state = daily_prompt.state_for(user)
    prompt = daily_prompt.prompt
    describe(prompt, mine, theirs)
    follow_up, follow_up_text = None, ""
    if state == TodayState.REVEALED:
        if not seen:
            daily_prompt.remember_seen_by(user)
        if mine is not None and theirs is not None:
            follow_up = follow_ups.for_day(daily_prompt, mine, theirs)
        if follow_up is not None and safety.user_follow_ups_paused(user):
            follow_up = None  # the writer was shown the help sheet lately: no prompting now
        if follow_up in (FollowUp.DIFFERENCE, FollowUp.DEEPEN):
            follow_up_text = follow_ups.card_text(follow_up, daily_prompt.pk)
    # While waiting, "Change my answer" brings its form when opened (?change=1, asked by
    # htmx on opening, or a plain link): most of the waiting page's work was that form.
    change = state == TodayState.WAITING and request.GET.get("change") == "1"
    if form is None and (state == TodayState.ANSWER or change):
        form = answer_form(
            prompt, initial={"day": daily_prompt.pk, "question": daily_prompt.prompt_id, **initial_for(prompt, mine)}
        )
    is_today = daily_prompt.date == request.couple.local_date()
    return {
        "daily_prompt": daily_prompt,
        "prompt": prompt,
        "partner": request.partner,
        "mine": mine,
        "theirs": theirs,
        "state": state,
        "partner_answered": state == TodayState.ANSWER and daily_prompt.partner_has_answered(user),
        "TodayState": TodayState,
        "FollowUp": FollowUp,
        "form": form,
        "refusal": refusal,
        "follow_up": follow_up,
        "follow_up_text": follow_up_text,
        "is_today": is_today,
        "swapped_under_you": swapped_under_you,
        "can_swap": is_today and daily_prompt.can_swap_for(user),
        "answer_url": url_for("prompts:today") if is_today else daily_prompt.links["day"],
        "suggestion": suggestion_for(daily_prompt.date, daily_prompt.couple_id) if state == TodayState.WAITING else "",
        "exercise": exercise_for(daily_prompt.date, daily_prompt.couple_id) if state == TodayState.WAITING else None,
        # One query, on a revealed day only: both partners' reactions and replies.
        "responses": _responses(daily_prompt, user, request.partner, daily_prompt.reactions_visible_to(user))
        if state == TodayState.REVEALED
        else None,
    }


def _refusal(day: DailyPrompt, today: datetime.date) -> str:
    """Why `day` cannot be answered today, or "" when it can (DailyPrompt.is_answerable_on)."""
    if day.is_answerable_on(today):
        return ""
    if day.date > today:
        return _("That day has not come yet, so its question cannot be answered. Nothing was saved.")
    return _("That question closed: a day stays open for a week. Nothing was saved.")


def _posted_day(request: CoupleRequest, daily_prompt: DailyPrompt) -> DailyPrompt | None:
    """The day a posted answer is for: the `day` field (another couple's day is a 404),
    else `daily_prompt`; None for a malformed id."""
    posted = request.POST.get("day", "").strip()
    if not posted:
        return daily_prompt
    if not posted.isdigit():
        return None
    if int(posted) == daily_prompt.pk:
        return daily_prompt
    return _get_day_for_couple(request.couple, int(posted))


def _answer(request: CoupleRequest, daily_prompt: DailyPrompt) -> tuple[DailyPrompt | None, dict]:
    """Save the posted answer for its day. Returns the day answered (None if nothing
    was saved) and, when nothing was, the day to show and _today_context's arguments
    that say why (form, refusal, swapped_under_you)."""
    answered = _posted_day(request, daily_prompt)
    today_date = request.couple.local_date()
    refusal = (
        _("That day could not be found. Nothing was saved.") if answered is None else _refusal(answered, today_date)
    )
    if answered is None or refusal:
        # The question they were answering, with what they typed, to copy elsewhere.
        shown = answered or daily_prompt
        kept = {key: value for key, value in request.POST.items() if key != "day"}
        form = answer_form(shown.prompt, initial={**kept, "day": shown.pk})
        return None, {"form": form, "refusal": refusal, "day": shown}
    form = answer_form(answered.prompt, request.POST)
    if not form.is_valid():
        return None, {"form": form, "day": answered}
    if form.cleaned_data["question"] not in (None, answered.prompt_id):
        # Written to a question the couple has since swapped: not saved to the new one;
        # the words stay in the box.
        kept = {key: value for key, value in request.POST.items() if key not in ("day", "question")}
        form = answer_form(answered.prompt, initial={**kept, "day": answered.pk, "question": answered.prompt_id})
        return None, {"form": form, "day": answered, "swapped_under_you": True}
    text, data = form.answer()
    try:
        services.submit_answer(daily_prompt=answered, user=request.user, text=text, data=data)
    except services.AnswerLocked:
        messages.info(request, _("Both answers are in, so this day is settled. Here they are."))
    else:
        safety.check_writing(request, written_words(text, data))
    return answered, {}


def _today_keys(request: UserRequest, couple_id: int, time_zone: str) -> list[str]:
    """What a GET of /today/ reads from the cache besides the couple (read_today)."""
    if request.method != "GET":
        return []
    _day, keys = services.today_cache_keys(
        couple_id=couple_id,
        time_zone=time_zone,
        user_id=request.user.pk,
        whole_page=not request.htmx,
        now=timezone.now(),
    )
    return list(keys.values())


@couple_required_prefetching(_today_keys)
@require_http_methods(["GET", "POST"])
def today(request: CoupleRequest) -> HttpResponse:
    # A GET reads the couple, the day and what the page shows around it in one cache
    # round trip (couple_required's prefetch, then read_today).
    shown = (
        services.read_today(
            couple=request.couple, user=request.user, whole_page=not request.htmx, prefetched=request.prefetched
        )
        if request.method == "GET"
        else None
    )
    daily_prompt = shown.day if shown else services.ensure_daily_prompt(couple=request.couple)
    status = 200
    problem: dict = {}
    if request.method == "POST":
        answered, problem = _answer(request, daily_prompt)
        if answered is not None and answered != daily_prompt:
            messages.info(
                request,
                _("Your answer is saved with the question you were answering. A new question has arrived for today."),
            )
            return HttpResponseClientRedirect(reverse("prompts:today")) if request.htmx else redirect("prompts:today")
        if answered is not None:
            if not request.htmx:
                return redirect("prompts:today")
            # This answer may have revealed the day: read it again.
            daily_prompt = _get_day_for_couple(request.couple, daily_prompt.pk)
        else:
            status = 422
            daily_prompt = problem.pop("day")
    context = _today_context(request, daily_prompt, seen=shown is not None and shown.seen, **problem)
    if not request.htmx and shown is not None:
        context["todays_rituals"], context["catch_up"] = shown.rituals, shown.catch_up
    elif not request.htmx:  # a post refused: the page again, around the day it was for
        context["todays_rituals"] = Ritual.objects.occurring_on(request.couple, daily_prompt.date)
        context["catch_up"] = DailyPrompt.remembered_catch_up(request.user, request.couple, daily_prompt.date)
    template = "prompts/today_card.html" if request.htmx else "prompts/today.html"
    return render(request, template, context, status=status, using="jinja2")


@couple_required
@require_http_methods(["GET", "POST"])
def day(request: CoupleRequest, pk: int) -> HttpResponse:
    """One earlier day of the couple's, to catch up on: answerable for a week
    (DailyPrompt.is_answerable_on), revealed when both have answered."""
    daily_prompt = _get_day_for_couple(request.couple, pk)
    status = 200
    problem: dict = {}
    if request.method == "POST":
        answered, problem = _answer(request, daily_prompt)
        if answered is not None:
            if not request.htmx:
                return redirect("prompts:day", pk=answered.pk)
            daily_prompt = _get_day_for_couple(request.couple, answered.pk)
        else:
            status = 422
            daily_prompt = problem.pop("day")
    context = _day_context(request, daily_prompt, **problem)
    template = "prompts/today_card.html" if request.htmx else "prompts/day.html"
    return render(request, template, context, status=status, using="jinja2")


# Lazy: read in the language of each request, not the one active at import.
_SWAP_REFUSED = {
    services.SwapRefused.ANSWERED: gettext_lazy("One of you has answered already, so today's question stays."),
    services.SwapRefused.SWAPPED: gettext_lazy(
        "Today's question has been swapped once already. It stays until tomorrow."
    ),
    services.SwapRefused.SENT: gettext_lazy("This question was sent by one of you, so it stays."),
    services.SwapRefused.STALE: gettext_lazy("Today's question has changed since that page was opened. Here it is."),
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


@require_GET
def today_status(request: UserRequest, pk: int) -> HttpResponse:
    """Polled every 5 s by a partner who is waiting: 204 (nothing to swap) until the day
    is revealed, then the revealed card, swapped in place of the whole waiting card.

    While nothing has changed it answers from the session and the cache alone, without
    loading the user: the session's user's couple, the day's couple, and no reveal mark.
    A 204 shows nothing and changes nothing, so the session's word is enough for it
    (core.http.session_user_id). Anything else (a reveal, an unpair, a cold cache, no
    session) takes the full road, through request.user and the database.
    """
    user_id = session_user_id(request)
    if user_id is not None:
        user_key = Couple.cache_key_for(user_id)
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
    response = render(request, "prompts/today_card.html", _today_context(request, daily_prompt), using="jinja2")
    return reswap(retarget(response, "#today"), "outerHTML")


def _before(request: UserRequest) -> datetime.date:
    """The history page's cursor: days before this date (the newest without one; a
    malformed one is read as none)."""
    try:
        return datetime.date.fromisoformat(request.GET.get("before", ""))
    except ValueError:
        return datetime.date.max


def _one_page(days: list[DailyPrompt]) -> tuple[list[DailyPrompt], bool]:
    """A page of the days search_history found (a page, and one more if there are older
    ones), and whether there are older ones. The next page starts before the last date
    shown, so a date is never split between two pages: days of an earlier couple and of
    the current one can share a date (the day of a new pairing), and the second would
    never be shown. The page ends before that date instead, a day shorter."""
    if len(days) <= HISTORY_PAGE_SIZE:
        return days, False
    end = HISTORY_PAGE_SIZE
    while end > 1 and days[end - 1].date == days[end].date:
        end -= 1
    return days[:end], True


def _history_keys(request: UserRequest, couple_id: int, time_zone: str) -> list[str]:
    """What the latest page of history reads from the cache besides the couple: the days
    to catch up on (as /today/ does, one round trip for both)."""
    if _before(request) != datetime.date.max:
        return []
    today = clock.local_date(time_zone, timezone.now())
    return [DailyPrompt.catch_up_cache_key(request.user.pk, couple_id, today)]


@login_required
@require_GET
def history(request: UserRequest) -> HttpResponse:
    """Every day the user answered, in this couple or an earlier one (their own answers
    stay theirs after unpairing; a partner's shows only where visible_to says), newest
    first, a page at a time by date, so a page costs the same on day 10 and day 1,000.
    Filtered by words, family or star through prompts.search, at the same cost."""
    unwrap_user(request)
    user, before = request.user, _before(request)
    couple, prefetched = current_couple_prefetching(request, _history_keys)
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
    days, more = _one_page(days)
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
    partner = couple.partner_of(user) if couple else None
    entries = []
    for day in days:
        mine, theirs = _mine_and_theirs(by_day[day.pk], user)
        describe(_prompt_of(day), mine, theirs)
        entries.append((day, mine, theirs, _past_side(day, couple)))
    catch_up = []
    if couple is not None and before == datetime.date.max:
        catch_up = DailyPrompt.remembered_catch_up(user, couple, couple.local_date(), prefetched)
    context = {
        "entries": [
            (*entry, toward)
            for entry, toward in zip(
                entries, _toward_on_page(entries, user, couple, partner, None if filtered else before), strict=True
            )
        ],
        "catch_up": catch_up,
        "older": days[-1].date if more else None,
        "is_latest": before == datetime.date.max,
        "partner": partner,
        # The latest page opens with the couple's week, counted in one query.
        "week": week_together(couple, couple.local_date()) if couple and before == datetime.date.max else None,
        "filters": filters,
        "filtered": filtered,
        "filter_query": urlencode({k: v for k, v in filters.cleaned_data.items() if v}) if filtered else "",
    }
    template = "prompts/history_page.html" if request.htmx else "prompts/history.html"
    return render(request, template, context, status=status, using="jinja2")


@couple_required
@require_POST
def favourite(request: CoupleRequest, pk: int) -> HttpResponse:
    """Star or unstar a day's reveal: only a day revealed to the user has one to star."""
    day = _get_day_for_couple(request.couple, pk)
    form = FavouriteForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Star or unstar: nothing else."), status=400, content_type="text/plain")
    try:
        services.set_favourite(daily_prompt=day, user=request.user, on=form.cleaned_data["on"])
    except services.NotRevealed:
        raise Http404 from None
    if not request.htmx:
        return redirect("prompts:history")
    day.is_favourite = form.cleaned_data["on"]  # type: ignore[attr-defined]
    return render(request, "prompts/history_favourite.html", {"day": day}, using="jinja2")


def _prompt_of(day: DailyPrompt) -> Prompt:
    """The day's question as _HISTORY_DAYS brings it: its text, format and format data."""
    return Prompt(
        pk=day.prompt_id,
        text=day.prompt_text,  # type: ignore[attr-defined]
        format=day.prompt_format,  # type: ignore[attr-defined]
        format_data=day.prompt_format_data or {},  # type: ignore[attr-defined]
    )


def _toward_on_page(
    entries: list[tuple], user: User, couple: Couple | None, partner: User | None, before: datetime.date | None
) -> list[dict]:
    """Each history day's responses (on days of the current couple where the partner's
    answer shows: revealed to the user) and the user's own note (read with the day, by
    prompts.search): one query a page. A plain page's days are every answered day from
    its oldest to `before`, so responses are read by date (built once, core.prepared); a
    filtered page's (before=None) by id."""
    shown = [day.pk for day, _mine, theirs, past in entries if theirs is not None and not past]
    reactions: dict[int, list[Reaction]] = {pk: [] for pk in shown}
    found_reactions: Iterable[Reaction] = []
    if entries and before is not None:
        if couple is not None:
            found_reactions = _PAGE_REACTIONS.run(couple=couple.pk, before=before, oldest=entries[-1][0].date)
    elif entries:
        # Asked for every page with days (a fixed count), narrowed to revealed days in
        # SQL and to the days whose partner answer shows (visible_to, above) here.
        day_ids = [entry[0].pk for entry in entries]
        found_reactions = Reaction.objects.on_days(day_ids).filter(daily_prompt__revealed_at__isnull=False)
    for reaction in found_reactions:
        if reaction.daily_prompt_id in reactions:
            reactions[reaction.daily_prompt_id].append(reaction)
    found = []
    for day, _mine, _theirs, past in entries:
        # Read-only here: a page of ten days with two forms each was the slowest page of
        # the site. Responding and editing the note happen on the day's own page.
        responses = None
        if day.pk in reactions and partner:
            mine, theirs = _mine_and_theirs(reactions[day.pk], user)
            responses = {"mine": mine, "theirs": theirs, "partner": partner}
        found.append({"responses": responses, "note": day.note_text, "current": not past})
    return found


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
# And their reactions and replies (of the current couple's revealed days).
_PAGE_REACTIONS = Prepared(
    lambda couple, before, oldest: Reaction.objects.filter(
        daily_prompt__couple_id=couple,
        daily_prompt__revealed_at__isnull=False,
        daily_prompt__date__lt=before,
        daily_prompt__date__gte=oldest,
    ),
    "couple",
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
            form.add_error("text", _queue_full())
            status = 422
        else:
            safety.check_writing(request, form.cleaned_data["text"])
            if not request.htmx:
                messages.success(request, _("Sent. It will be the question on a coming day."))
                return redirect("prompts:questions")
            context = _questions_context(request, sent=True)
            return render(request, "prompts/questions.html#own-questions", context)
    else:
        status = 422
    template = "prompts/questions.html#own-questions" if request.htmx else "prompts/questions.html"
    return render(request, template, _questions_context(request, own_form=form), status=status)


def _queue_full() -> str:
    return _("You have %(count)d questions waiting already. Let a few be asked first.") % {
        "count": services.MAX_QUEUED_PER_PERSON
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
    except services.QueueFull:
        messages.info(request, _queue_full())
    except services.AlreadyWaiting:
        messages.info(request, _("That question is waiting to be asked already."))
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


# --- Turning toward: reactions and replies, private notes, the nudge --------------------


def _responses(day: DailyPrompt, user: User, partner: User | None, reactions: Iterable[Reaction], **forms) -> dict:
    """What the reactions partial needs for one revealed day: both partners' reactions
    (the caller passes only what DailyPrompt.reactions_visible_to allows), and the forms."""
    reactions = list(reactions)
    mine, theirs = _mine_and_theirs(reactions, user)
    return {
        "day": day,
        "mine": mine,
        "theirs": theirs,
        "partner": partner,
        "kinds": ReactionKind.choices,
        "reply": _reply_field(forms.get("reply_form"), mine),
        "error": forms.get("error", ""),
    }


def _reply_field(form: ReplyForm | None, mine: Reaction | None) -> dict:
    """The reply box: what it holds, and the errors of a refused reply. A plain reading
    of the saved reply when nothing was posted: every revealed page shows the box, and
    an unbound form built only to print it cost a twentieth of the page."""
    if form is None:
        return {"value": mine.reply if mine else "", "errors": [], "max_length": REPLY_MAX_LENGTH}
    field = form["reply"]
    return {"value": field.value() or "", "errors": field.errors, "max_length": REPLY_MAX_LENGTH}


def _note_context(day: DailyPrompt, note: Note | None, form: NoteForm | None = None, saved: bool = False) -> dict:
    return {
        "day": day,
        "note": note,
        "note_form": form or NoteForm(initial={"text": note.text if note else ""}),
        "saved": saved,
    }


def _day_context(
    request: CoupleRequest,
    day: DailyPrompt,
    *,
    form: AnswerFormBase | None = None,
    refusal: str = "",
    swapped_under_you: bool = False,
    **forms,
) -> dict:
    """The page of one day of the couple's (/days/<pk>/): the today card for that day
    (answerable for a week, revealed when both have answered), responses where revealed,
    and the user's own note open (where the note and response forms land without htmx)."""
    context = _today_context(request, day, form, refusal, swapped_under_you)
    context["closed"] = context["state"] == TodayState.ANSWER and not day.is_answerable_on(request.couple.local_date())
    if forms and context["responses"] is not None:
        context["responses"] = _responses(
            day, request.user, request.partner, day.reactions_visible_to(request.user), **forms
        )
    note = Note.objects.of(request.user).filter(daily_prompt=day).first()
    context["private_note"] = _note_context(day, note, forms.get("note_form"))
    return context


def _responded(request: CoupleRequest, day: DailyPrompt, *, status: int = 200, **forms) -> HttpResponse:
    """The reactions partial for htmx; the day's page otherwise (a redirect once saved)."""
    if request.htmx:
        context = {
            "responses": _responses(day, request.user, request.partner, day.reactions_visible_to(request.user), **forms)
        }
        return render(request, "prompts/responses.html", context, status=status, using="jinja2")
    if status == 200:
        return redirect("prompts:day", pk=day.pk)
    return render(request, "prompts/day.html", _day_context(request, day, **forms), status=status, using="jinja2")


def _not_revealed(request: CoupleRequest, day: DailyPrompt) -> HttpResponse:
    error = _("You can respond once you have both answered this one.")
    if request.htmx:
        return render(
            request, "prompts/responses_closed.html", {"day": day, "error": error}, status=422, using="jinja2"
        )
    messages.info(request, error)
    return redirect("prompts:day", pk=day.pk)


@couple_required
@require_POST
def react(request: CoupleRequest, pk: int) -> HttpResponse:
    day = _get_day_for_couple(request.couple, pk)
    if not day.is_revealed_to(request.user):
        return _not_revealed(request, day)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return _responded(request, day, status=422, error=form.errors["kind"][0])
    services.set_reaction(daily_prompt=day, user=request.user, kind=form.cleaned_data["kind"])
    day = _get_day_for_couple(request.couple, pk)  # read the reactions afresh
    return _responded(request, day)


@couple_required
@require_POST
def reply(request: CoupleRequest, pk: int) -> HttpResponse:
    day = _get_day_for_couple(request.couple, pk)
    if not day.is_revealed_to(request.user):
        return _not_revealed(request, day)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _responded(request, day, status=422, reply_form=form)
    services.save_reply(daily_prompt=day, user=request.user, text=form.cleaned_data["reply"])
    safety.check_writing(request, form.cleaned_data["reply"])  # the sheet shows on the next full page
    day = _get_day_for_couple(request.couple, pk)
    return _responded(request, day)


@couple_required
@require_http_methods(["GET", "POST"])
def note(request: CoupleRequest, pk: int) -> HttpResponse:
    """The user's private note on a day. /today/ fetches it (htmx) only when it is
    opened, so the page itself reads no note."""
    day = _get_day_for_couple(request.couple, pk)
    if request.method == "GET":
        if not request.htmx:
            return redirect("prompts:day", pk=day.pk)
        note = Note.objects.of(request.user).filter(daily_prompt=day).first()
        return render(request, "prompts/private_note.html", {"private_note": _note_context(day, note)}, using="jinja2")
    form = NoteForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            context = {"private_note": _note_context(day, None, form)}
            return render(request, "prompts/private_note.html", context, status=422, using="jinja2")
        return render(
            request, "prompts/day.html", _day_context(request, day, note_form=form), status=422, using="jinja2"
        )
    saved = services.save_note(daily_prompt=day, user=request.user, text=form.cleaned_data["text"])
    safety.check_writing(request, form.cleaned_data["text"])  # the sheet shows on the next full page
    if not request.htmx:
        messages.success(request, _("Your note is saved. Only you can read it."))
        return redirect("prompts:day", pk=day.pk)
    return render(
        request, "prompts/private_note.html", {"private_note": _note_context(day, saved, saved=True)}, using="jinja2"
    )


@couple_required
@require_POST
def nudge(request: CoupleRequest, pk: int) -> HttpResponse:
    """One gentle nudge to the partner per day, while waiting for their answer."""
    day = _get_day_for_couple(request.couple, pk)
    if request.partner is None:  # an active couple has two members; nobody to nudge
        raise Http404
    name = request.partner.name
    status = 200
    try:
        services.send_nudge(daily_prompt=day, user=request.user, partner=request.partner)
        message = _("Sent. %(name)s will get a gentle nudge, without your answer in it.") % {"name": name}
    except services.NudgedAlready:
        message = _("You nudged %(name)s today already. Your answer is waiting for them.") % {"name": name}
    except services.NudgeNotNow:
        message = _("A nudge is for when you have answered and %(name)s has not yet.") % {"name": name}
        status = 409
    except services.NudgeTooOften:
        message = _("That's a lot of nudges for one hour. Let's give %(name)s a little time.") % {"name": name}
        status = 429
    if not request.htmx:
        messages.info(request, message)
        return redirect("prompts:today")
    # A calm sentence in place of the button; htmx swaps 2xx and 422 (see base.html).
    context = {"daily_prompt": day, "partner": request.partner, "nudge_message": message}
    return render(request, "prompts/nudge.html", context, status=200 if status == 200 else 422, using="jinja2")
