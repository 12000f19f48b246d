"""The prompt library and waiting-room suggestions, as shipped in prompts/data/."""

import hashlib
import tomllib
from datetime import date
from functools import cache
from pathlib import Path

from django.db import transaction

from .models import Depth, Family, Pillar, Prompt

DATA_DIR = Path(__file__).resolve().parent / "data"
PROMPTS_FILE = DATA_DIR / "prompts.toml"
SUGGESTIONS_FILE = DATA_DIR / "suggestions.toml"


class LibraryError(ValueError):
    pass


def read_prompts(path: Path = PROMPTS_FILE) -> list[dict]:
    with path.open("rb") as handle:
        entries = tomllib.load(handle).get("prompt", [])
    keys: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        missing = {"key", "family", "depth", "pillar", "text"} - entry.keys()
        if missing:
            raise LibraryError(f"prompt #{number} lacks {', '.join(sorted(missing))}")
        if entry["key"] in keys:
            raise LibraryError(f"prompt key {entry['key']!r} appears twice")
        keys.add(entry["key"])
        for field, choices in (("family", Family), ("depth", Depth), ("pillar", Pillar)):
            if entry[field] not in choices.values:
                raise LibraryError(f"prompt {entry['key']!r}: unknown {field} {entry[field]!r}")
    return entries


@transaction.atomic
def load_prompts(entries: list[dict]) -> dict[str, int]:
    """Upsert by key; prompts whose key left the file are deactivated, never deleted
    (past days still point at them)."""
    existing = {prompt.key: prompt for prompt in Prompt.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deactivated": 0}
    fields = ("family", "depth", "pillar", "text")
    for entry in entries:
        prompt = existing.get(entry["key"])
        if prompt is None:
            Prompt.objects.create(key=entry["key"], **{field: entry[field] for field in fields})
            counts["created"] += 1
            continue
        changed = not prompt.is_active or any(getattr(prompt, field) != entry[field] for field in fields)
        if changed:
            for field in fields:
                setattr(prompt, field, entry[field])
            prompt.is_active = True
            prompt.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    kept = {entry["key"] for entry in entries}
    counts["deactivated"] = Prompt.objects.filter(is_active=True).exclude(key__in=kept).update(is_active=False)
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
