"""The prompt library and waiting-room suggestions, as shipped in prompts/data/."""

import difflib
import hashlib
import re
import tomllib
from datetime import date
from functools import cache
from pathlib import Path

from django.db import transaction

from .models import Depth, Family, Format, Pillar, Prompt

DATA_DIR = Path(__file__).resolve().parent / "data"
# One TOML file per family (check_in.toml, ...); read_prompts reads every *.toml in it.
PROMPTS_DIR = DATA_DIR / "prompts"
SUGGESTIONS_FILE = DATA_DIR / "suggestions.toml"

TEXT_MAX_LENGTH = 200
WHY_MAX_LENGTH = 160
LABEL_MAX_LENGTH = 40
OPTION_MAX_LENGTH = 60
MIN_ITEMS, MAX_ITEMS = 2, 5

REQUIRED = frozenset({"key", "family", "depth", "pillar", "format", "text"})
# What each format may carry beyond the required fields, and what it must carry.
FORMAT_DATA = frozenset({"low", "high", "options", "guess_text", "parts"})
FORMAT_NEEDS: dict[str, frozenset[str]] = {
    Format.TEXT: frozenset(),
    Format.SCALE: frozenset({"low", "high"}),
    Format.CHOICE: frozenset({"options"}),
    Format.LOVE_MAP_GUESS: frozenset({"guess_text"}),
    Format.MULTI_PART: frozenset({"parts"}),
}
FORMAT_ALLOWS: dict[str, frozenset[str]] = {
    **FORMAT_NEEDS,
    # A guess can be free text, a choice between options, or a point on the scale.
    Format.LOVE_MAP_GUESS: frozenset({"guess_text", "options", "low", "high"}),
}
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class LibraryError(ValueError):
    pass


def read_prompts(path: Path = PROMPTS_DIR) -> list[dict]:
    """Every prompt in `path` (one TOML file, or a directory of them, read in name
    order), checked: tags against the allowed values, each format's data, lengths, and
    keys and texts that appear only once. Raises LibraryError saying what is wrong."""
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    if not files:
        raise LibraryError(f"no prompt files (*.toml) in {path}")
    entries: list[dict] = []
    keys: set[str] = set()
    texts: dict[str, str] = {}
    for file in files:
        try:
            with file.open("rb") as handle:
                found = tomllib.load(handle).get("prompt", [])
        except tomllib.TOMLDecodeError as error:
            raise LibraryError(f"{file.name}: not valid TOML ({error})") from error
        if not isinstance(found, list) or not all(isinstance(entry, dict) for entry in found):
            raise LibraryError(f"{file.name}: prompts must be [[prompt]] tables")
        for number, entry in enumerate(found, start=1):
            where = f"{file.name}, prompt #{number}" + (
                f" {entry['key']!r}" if isinstance(entry.get("key"), str) else ""
            )
            try:
                entries.append(_checked(entry))
            except LibraryError as error:
                raise LibraryError(f"{where}: {error}") from None
            if entry["key"] in keys:
                raise LibraryError(f"{where}: prompt key {entry['key']!r} appears twice")
            keys.add(entry["key"])
            folded = normalise(entry["text"])
            if folded in texts:
                raise LibraryError(f"{where}: same text as {texts[folded]!r}")
            texts[folded] = entry["key"]
    return entries


def _checked(entry: dict) -> dict:
    """One prompt's fields, with its format's data gathered into "format_data"."""
    missing = REQUIRED - entry.keys()
    if missing:
        raise LibraryError(f"lacks {', '.join(sorted(missing))}")
    unknown = entry.keys() - REQUIRED - FORMAT_DATA - {"why"}
    if unknown:
        raise LibraryError(f"unknown field {', '.join(sorted(unknown))}")
    for field in REQUIRED | ({"why"} & entry.keys()):
        if not isinstance(entry[field], str) or not entry[field].strip():
            raise LibraryError(f"{field} must be a non-empty string")
    if not KEY_PATTERN.match(entry["key"]) or len(entry["key"]) > 80:
        raise LibraryError(f"key {entry['key']!r} must be a short slug (a-z, 0-9, dashes)")
    for field, choices in (("family", Family), ("depth", Depth), ("pillar", Pillar), ("format", Format)):
        if entry[field] not in choices.values:
            raise LibraryError(f"unknown {field} {entry[field]!r} (allowed: {', '.join(choices.values)})")
    _check_length("text", entry["text"], TEXT_MAX_LENGTH)
    if "why" in entry:
        _check_length("why", entry["why"], WHY_MAX_LENGTH)
    kind = entry["format"]
    data = {field: entry[field] for field in FORMAT_DATA & entry.keys()}
    if missing := FORMAT_NEEDS[kind] - data.keys():
        raise LibraryError(f"a {kind} prompt needs {', '.join(sorted(missing))}")
    if extra := data.keys() - FORMAT_ALLOWS[kind]:
        raise LibraryError(f"a {kind} prompt takes no {', '.join(sorted(extra))}")
    if ("low" in data) != ("high" in data):
        raise LibraryError("a scale needs both low and high labels")
    if "options" in data and ("low" in data):
        raise LibraryError("a guess is either a choice (options) or a scale (low, high), not both")
    for field in ("low", "high"):
        if field in data:
            _check_label(field, data[field], LABEL_MAX_LENGTH)
    if "guess_text" in data:
        _check_label("guess_text", data["guess_text"], TEXT_MAX_LENGTH)
    for field, limit in (("options", OPTION_MAX_LENGTH), ("parts", LABEL_MAX_LENGTH)):
        if field in data:
            _check_items(field, data[field], limit)
    return {field: entry[field] for field in REQUIRED} | {"why": entry.get("why", ""), "format_data": data}


def _check_length(field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise LibraryError(f"{field} is {len(value)} characters, more than {limit}")
    if "\n" in value:
        raise LibraryError(f"{field} must be one line")


def _check_label(field: str, value: object, limit: int) -> None:
    if not isinstance(value, str) or not value.strip():
        raise LibraryError(f"{field} must be a non-empty string")
    _check_length(field, value, limit)


def _check_items(field: str, value: object, limit: int) -> None:
    if not isinstance(value, list) or not MIN_ITEMS <= len(value) <= MAX_ITEMS:
        raise LibraryError(f"{field} must be a list of {MIN_ITEMS} to {MAX_ITEMS} labels")
    for item in value:
        _check_label(field, item, limit)
    if len({normalise(item) for item in value}) != len(value):
        raise LibraryError(f"{field} has the same label twice")


def normalise(text: str) -> str:
    """Text with case, punctuation and whitespace folded: how two prompts compare."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


# Word-level similarity at or above this is a near-duplicate. Tuned on the library: the
# closest honest pairs (two sentence stems sharing "finish the sentence") sit well below.
SIMILARITY_THRESHOLD = 0.75


def near_duplicates(entries: list[dict], threshold: float = SIMILARITY_THRESHOLD) -> list[tuple[str, str, float]]:
    """Pairs of prompts (key, key, similarity) whose texts say nearly the same thing.

    Similarity is difflib's SequenceMatcher ratio over the normalised words, not a
    token-set Jaccard: it rewards long runs of words in the same order (a reworded copy
    of a prompt keeps those), where Jaccard would count the shared "you", "your" and
    "partner" of two unrelated prompts. Words, not characters, keep it fast: the cheap
    upper bounds (real_quick_ratio, quick_ratio) rule out almost every pair before the
    full comparison, so 400 x 400 pairs take well under a second.
    """
    words = [(entry["key"], normalise(entry["text"]).split()) for entry in entries]
    found = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    for index, (key_b, words_b) in enumerate(words):
        matcher.set_seq2(words_b)  # seq2 is the one SequenceMatcher indexes and caches
        for key_a, words_a in words[:index]:
            matcher.set_seq1(words_a)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                found.append((key_a, key_b, round(ratio, 3)))
    return found


@transaction.atomic
def load_prompts(entries: list[dict]) -> dict[str, int]:
    """Upsert by key; prompts whose key left the file are deactivated, never deleted
    (past days still point at them)."""
    existing = {prompt.key: prompt for prompt in Prompt.objects.library()}
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deactivated": 0}
    fields = ("family", "depth", "pillar", "format", "text", "why", "format_data")
    created, updated = [], []
    for entry in entries:
        prompt = existing.get(entry["key"])
        if prompt is None:
            created.append(Prompt(key=entry["key"], **{field: entry[field] for field in fields}))
            continue
        changed = not prompt.is_active or any(getattr(prompt, field) != entry[field] for field in fields)
        if changed:
            for field in fields:
                setattr(prompt, field, entry[field])
            prompt.is_active = True
            updated.append(prompt)
        else:
            counts["unchanged"] += 1
    # In bulk: the whole library is loaded by every test that uses it.
    Prompt.objects.bulk_create(created)
    Prompt.objects.bulk_update(updated, [*fields, "is_active"])
    counts["created"], counts["updated"] = len(created), len(updated)
    kept = {entry["key"] for entry in entries}
    counts["deactivated"] = (
        Prompt.objects.library().filter(is_active=True).exclude(key__in=kept).update(is_active=False)
    )
    return counts


@cache
def suggestions() -> tuple[str, ...]:
    with SUGGESTIONS_FILE.open("rb") as handle:
        return tuple(entry["text"] for entry in tomllib.load(handle).get("suggestion", []))


def suggestion_for(day: date, salt: int) -> str:
    """One small thing to do while waiting; stable for the day, different day to day."""
    options = suggestions()
    digest = hashlib.sha256(f"{day.isoformat()}:{salt}".encode()).digest()
    return options[int.from_bytes(digest[:4]) % len(options)]


EXERCISES_FILE = DATA_DIR / "exercises.toml"


@cache
def exercises() -> tuple[dict, ...]:
    """The two-minute exercises for the wait: {"key", "title", "steps"} each."""
    with EXERCISES_FILE.open("rb") as handle:
        return tuple(tomllib.load(handle).get("exercise", []))


def exercise_for(day: date, salt: int) -> dict:
    """One two-minute exercise; stable for the day, rotating day to day, and picked
    apart from the suggestion (another digest) so the two rarely repeat together."""
    options = exercises()
    digest = hashlib.sha256(f"exercise:{day.isoformat()}:{salt}".encode()).digest()
    return options[int.from_bytes(digest[:4]) % len(options)]
