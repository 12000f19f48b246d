"""Which prompt a couple gets on a given day.

Deterministic (the same couple and history always give the same prompt, so two
partners opening the app at once agree), paced (light questions first, depth rising
over the first weeks: `depth_for_day`), varied between couples (a per-couple shuffle),
and without repeats until the library is used up; after that the least recently used
prompt comes back.
"""

import hashlib

from django.db.models import Count, Max

from .models import DEPTH_ORDER, DailyPrompt, Depth, Format, Prompt, PromptPreferences, PromptQueueEntry

# After the first three weeks, each week asks four light, two deeper and one vulnerable
# question, the vulnerable one never first or last in the week.
_SETTLED_WEEK = (Depth.LIGHT, Depth.DEEPER, Depth.LIGHT, Depth.VULNERABLE, Depth.LIGHT, Depth.DEEPER, Depth.LIGHT)


def depth_for_day(number: int) -> Depth:
    """The depth a couple's day `number` (0 for their first) asks for: light all the
    first week, a deeper question every third day in weeks two and three, then the
    settled week."""
    if number < 7:
        return Depth.LIGHT
    if number < 21:
        return Depth.DEEPER if number % 3 == 2 else Depth.LIGHT
    return _SETTLED_WEEK[number % 7]


def _shuffle_key(couple_id: int, prompt_key: str) -> str:
    return hashlib.sha256(f"{couple_id}:{prompt_key}".encode()).hexdigest()


def choose_prompt(*, couple, swap_for: DailyPrompt | None = None) -> Prompt:
    """The library's next question for the couple. With `swap_for` (today's day, being
    swapped): another question for that same day, paced as that day, and neither the
    day's question nor any the couple had or set aside before."""
    # Every format: the today page answers and reveals each (prompts.formats).
    prompts = list(Prompt.objects.library().active())
    if not prompts:
        raise Prompt.DoesNotExist("The prompt library is empty: run `manage.py load_prompts`.")
    preferences = PromptPreferences.of(couple)
    # What the couple asked for, unless it leaves nothing: a day never goes without a question.
    prompts = [prompt for prompt in prompts if preferences.allows(prompt)] or prompts
    asked = DailyPrompt.objects.filter(couple=couple)
    if swap_for is not None:
        asked = asked.exclude(pk=swap_for.pk)
        prompts = [prompt for prompt in prompts if prompt.pk != swap_for.prompt_id] or prompts
    used = asked.values_list("prompt_id").annotate(last=Max("date"), days=Count("id"))
    last_used = {prompt_id: last for prompt_id, last, _ in used}
    # A question set aside by a swap counts as asked on its day.
    for prompt_id, date in asked.filter(swapped_from__isnull=False).values_list("swapped_from_id", "date"):
        last_used[prompt_id] = max(date, last_used.get(prompt_id, date))
    unused = [prompt for prompt in prompts if prompt.pk not in last_used]
    if not used:
        # A couple's very first question is one in words: the plainest way to meet
        # "separate, then compare". Every format follows from the second day on.
        unused = [prompt for prompt in unused if prompt.format == Format.TEXT] or unused
    if unused:
        # The day's depth if any of it is left, else the nearest, shallower first.
        wanted = min(DEPTH_ORDER[depth_for_day(sum(days for _, _, days in used))], DEPTH_ORDER[preferences.deepest])
        return min(
            unused,
            key=lambda prompt: (
                abs(DEPTH_ORDER[prompt.depth] - wanted),
                DEPTH_ORDER[prompt.depth],
                _shuffle_key(couple.pk, prompt.key),
            ),
        )
    return min(prompts, key=lambda prompt: (last_used[prompt.pk], _shuffle_key(couple.pk, prompt.key)))


def next_for(*, couple) -> tuple[Prompt, PromptQueueEntry | None]:
    """The next new day's question: the first one a partner sent, else the library's."""
    queued = PromptQueueEntry.objects.waiting().filter(couple=couple).select_related("prompt").first()
    if queued is not None:
        return queued.prompt, queued
    return choose_prompt(couple=couple), None
