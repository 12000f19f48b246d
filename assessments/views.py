import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.http import UserRequest
from accounts.models import User
from core.http import HtmxHttpRequest
from couples.decorators import couple_required
from couples.http import CoupleRequest
from couples.models import Couple

from . import charts, services
from .definitions import Assessment, Chart, catalogue, get
from .forms import AssessmentForm, pack_answers
from .models import Attempt
from .scoring import Result, differs, saved_result, score

TEMPLATE = "assessments/take.html"
# The trend on a result shows this many retakes at most, the latest: a line stays
# readable, and the page reads a bounded number of rows however often it was taken.
TREND_ATTEMPTS = 12


def _get_assessment(slug: str) -> Assessment:
    assessment = get(slug)
    if assessment is None:
        raise Http404
    return assessment


def _get_attempt_for_user(user: User, assessment: Assessment, pk: int) -> Attempt:
    """The one place an attempt is looked up by id: only one's own; anyone else's,
    shared or not, is a 404."""
    return get_object_or_404(Attempt, pk=pk, user=user, assessment=assessment.slug)


def _chart(result: Result, people: list[tuple[str, str, dict[str, float]]]):
    if result.assessment.chart == Chart.QUADRANT:
        return charts.quadrant(result.assessment, people)
    return charts.bars(result.assessment, people)


def _result_context(result: Result, label: str) -> dict:
    return {"result": result, "chart": _chart(result, [(label, "you", result.scores)])}


# --- The list and the support page --------------------------------------------------


@require_GET
def index(request: HtmxHttpRequest) -> HttpResponse:
    latest: dict[str, Attempt] = {}
    comparable: set[str] = set()
    if request.user.is_authenticated:
        for attempt in Attempt.objects.filter(user=request.user).only("assessment", "created_at", "pk"):
            latest.setdefault(attempt.assessment, attempt)
        couple = Couple.objects.current_for(request.user)
        if couple is not None:
            comparable = set(
                Attempt.objects.visible_to(request.user, couple)
                .filter(shared_with=couple)
                .exclude(user=request.user)
                .values_list("assessment", flat=True)
            )
    entries = [(assessment, latest.get(slug), slug in comparable) for slug, assessment in catalogue().items()]
    template = "assessments/index.html#assessment-list" if request.htmx else "assessments/index.html"
    return render(request, template, {"entries": entries})


@require_GET
def support(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "assessments/support.html")


# --- Taking an assessment ---------------------------------------------------------------


def _parse_step(value: str | None, assessment: Assessment) -> int | None:
    """A step number from 1 to the number of items, or None for the whole form."""
    try:
        step = int(value or "")
    except ValueError:
        return None
    return min(max(step, 1), len(assessment.items))


def _render_step(request, assessment: Assessment, form: AssessmentForm, step: int, *, moved: bool = True):
    questions = form.questions()
    context = {
        "assessment": assessment,
        "form": form,
        "question": questions[step - 1],
        "answered": [question for question in questions if question.number != step and question.value],
        "step": step,
        "total": len(questions),
        "token": form.data.get("token") if form.is_bound else form.initial.get("token"),
        "moved": moved,
        "nonfield_errors": form.non_field_errors() if form.is_bound else [],
    }
    return render(request, f"{TEMPLATE}#assessment-step", context)


def _render_form(request, assessment: Assessment, form: AssessmentForm, *, kept: bool = False) -> HttpResponse:
    context = {
        "kept": kept,
        "assessment": assessment,
        "form": form,
        "questions": form.questions(),
        "token": (form.data.get("token") if form.is_bound else None) or form.initial.get("token"),
        "nonfield_errors": form.non_field_errors() if form.is_bound else [],
    }
    template = f"{TEMPLATE}#assessment-quiz" if request.htmx else TEMPLATE
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def take(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The whole assessment as one plain form; with htmx, one question per screen
    (`step`), the earlier answers carried along in the form, never in the session.

    A missing or malformed answer re-renders the question(s) with a message and every
    valid answer kept, as a 200: it is a question still to answer, not an error page.
    """
    assessment = _get_assessment(slug)
    if request.method == "GET":
        # Back from signup: the whole form, for static/js/assessments.js to fill in from
        # this tab's sessionStorage (the answers never travel in a URL).
        kept = request.GET.get("kept") == "1"
        form = AssessmentForm(assessment, initial={"token": uuid.uuid4()})
        step = _parse_step(request.GET.get("step"), assessment)
        if request.htmx and step is not None:
            response = _render_step(request, assessment, form, step, moved=False)
        else:
            response = _render_form(request, assessment, form, kept=kept)
        # One URL, two shapes: caches must keep the htmx step apart from the page.
        patch_vary_headers(response, ["HX-Request"])
        return response

    form = AssessmentForm(assessment, request.POST)
    step = _parse_step(request.POST.get("step"), assessment)
    valid = form.is_valid()
    if step is not None:
        item = assessment.items[step - 1]
        if request.POST.get("go") == "back":
            return _render_step(request, assessment, form, max(step - 1, 1))
        if not form.item_is_valid(item):
            return _render_step(request, assessment, form, step)
        if step < len(assessment.items):
            return _render_step(request, assessment, form, step + 1)
        if not valid:
            return _render_step(request, assessment, form, form.first_invalid_step())
    if not valid:
        return _render_form(request, assessment, form)

    answers = form.answers()
    if not request.user.is_authenticated:
        # Signed out: the result is shown and forgotten; nothing is written anywhere.
        # The signup link holds the answers in the page, and a click keeps them in this
        # tab's sessionStorage, not in the URL: URLs land in access logs.
        keep_url = f"{reverse('assessments:take', args=[assessment.slug])}?kept=1"
        context = {
            "assessment": assessment,
            "signup_url": f"{reverse('account_signup')}?{urlencode({'next': keep_url})}",
            "packed_answers": pack_answers(assessment, answers),
            **_result_context(score(assessment, answers), _("You")),
        }
        template = f"{TEMPLATE}#assessment-result" if request.htmx else TEMPLATE
        return render(request, template, context)
    user = request.user
    assert isinstance(user, User)
    attempt, created = services.record_attempt(
        user=user, assessment=assessment, answers=answers, token=form.submitted_token()
    )
    if not created:
        messages.info(request, _("These answers were already saved. Here is your result."))
    url = reverse("assessments:result", args=[assessment.slug, attempt.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# --- One's own results, sharing, and the comparison ------------------------------------


def _share_context(request: UserRequest, assessment: Assessment, attempt: Attempt) -> dict:
    couple = Couple.objects.current_for(request.user)
    partner = couple.partner_of(request.user) if couple else None
    comparable = bool(
        couple
        and attempt.is_shared_in(couple)
        and Attempt.objects.visible_to(request.user, couple)
        .filter(assessment=assessment.slug, shared_with=couple)
        .exclude(user=request.user)
        .exists()
    )
    return {
        "assessment": assessment,
        "attempt": attempt,
        "couple": couple,
        "partner": partner,
        "shared": attempt.is_shared_in(couple),
        "comparable": comparable,
    }


@login_required
@require_GET
def result(request: UserRequest, slug: str, pk: int) -> HttpResponse:
    assessment = _get_assessment(slug)
    attempt = _get_attempt_for_user(request.user, assessment, pk)
    newest = Attempt.objects.of(request.user, slug).order_by("-created_at", "-pk")
    history = list(newest.values_list("created_at", "scores")[:TREND_ATTEMPTS])[::-1]
    found = saved_result(assessment, attempt.scores, attempt.answers)
    context = {
        **_share_context(request, assessment, attempt),
        **(_result_context(found, _("You")) if found else {"result": None}),
        "trend": charts.trend(assessment, history),
    }
    return render(request, "assessments/result.html", context)


@couple_required
@require_POST
def share(request: CoupleRequest, slug: str, pk: int) -> HttpResponse:
    assessment = _get_assessment(slug)
    attempt = _get_attempt_for_user(request.user, assessment, pk)
    if request.POST.get("shared") == "0":
        services.unshare_attempt(attempt=attempt)
    else:
        services.share_attempt(attempt=attempt, couple=request.couple)
    if request.htmx:
        return render(request, "assessments/result.html#assessment-share", _share_context(request, assessment, attempt))
    return redirect("assessments:result", slug, pk)


@couple_required
@require_GET
def compare(request: CoupleRequest, slug: str) -> HttpResponse:
    assessment = _get_assessment(slug)
    user, couple = request.user, request.couple
    visible = Attempt.objects.visible_to(user, couple).filter(assessment=slug, shared_with=couple)
    mine = visible.filter(user=user).first()
    theirs = visible.exclude(user=user).first()
    context: dict = {"assessment": assessment, "partner": request.partner, "mine": mine, "theirs": theirs}
    my_result = saved_result(assessment, mine.scores, mine.answers) if mine else None
    their_result = saved_result(assessment, theirs.scores, theirs.answers) if theirs else None
    if my_result is None or their_result is None:
        context |= {"outdated": mine is not None and theirs is not None}
    else:
        partner_name = request.partner.name if request.partner else _("Partner")
        people = [(_("You"), "you", my_result.scores), (partner_name, "partner", their_result.scores)]
        rows = [
            (own, other, differs(own.dimension, own.score, other.score))
            for own, other in zip(my_result.dimensions, their_result.dimensions, strict=True)
        ]
        context |= {
            "my_result": my_result,
            "their_result": their_result,
            "chart": _chart(my_result, people),
            "rows": rows,
            "talk": [prompt for own, _other, differ in rows if differ for prompt in own.dimension.talk],
        }
    template = "assessments/compare.html#assessment-compare" if request.htmx else "assessments/compare.html"
    return render(request, template, context)
