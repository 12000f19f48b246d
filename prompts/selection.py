"""Which prompt a couple gets on a given day.

Deterministic (the same couple and history always give the same prompt, so two
partners opening the app at once agree), gentle first (light, then deeper, then
vulnerable), varied between couples (a per-couple shuffle), and without repeats until
the library is used up; after that the least recently used prompt comes back.
"""

import hashlib

from django.db.models import Max

from .models import DEPTH_ORDER, DailyPrompt, Format, Prompt


def _shuffle_key(couple_id: int, prompt_key: str) -> str:
    return hashlib.sha256(f"{couple_id}:{prompt_key}".encode()).hexdigest()


def choose_prompt(*, couple) -> Prompt:
    # Only free-text prompts for now: the today page can answer nothing else yet. When it
    # renders scales, choices, guesses and parts, this filter goes and they join the mix.
    prompts = list(Prompt.objects.active().filter(format=Format.TEXT))
    if not prompts:
        raise Prompt.DoesNotExist("The prompt library is empty: run `manage.py load_prompts`.")
    history = DailyPrompt.objects.filter(couple=couple)
    last_used = dict(history.values_list("prompt_id").annotate(last=Max("date")))
    unused = [prompt for prompt in prompts if prompt.pk not in last_used]
    if unused:
        return min(
            unused,
            key=lambda prompt: (DEPTH_ORDER[prompt.depth], _shuffle_key(couple.pk, prompt.key)),
        )
    return min(prompts, key=lambda prompt: (last_used[prompt.pk], _shuffle_key(couple.pk, prompt.key)))
