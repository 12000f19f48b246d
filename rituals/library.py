"""The ritual library, as shipped in rituals/data/rituals.toml.

Read once per process and kept in memory: a couple's ritual copies what it needs from
its entry (title, instructions, schedule), so editing the file never changes theirs.
"""

import tomllib
from dataclasses import dataclass
from datetime import time
from functools import cache
from pathlib import Path

from .models import Guide, Pillar
from .recurrence import Cadence, Schedule, ScheduleError

RITUALS_FILE = Path(__file__).resolve().parent / "data" / "rituals.toml"


class LibraryError(ValueError):
    pass


@dataclass(frozen=True)
class Entry:
    key: str
    title: str
    instructions: str
    pillar: str
    duration: int
    schedule: Schedule
    start: time
    guide: str = ""

    @property
    def rrule(self) -> str:
        return self.schedule.as_rrule()

    def get_pillar_display(self) -> str:
        return str(Pillar(self.pillar).label)


def read_rituals(path: Path = RITUALS_FILE) -> list[Entry]:
    with path.open("rb") as handle:
        raw = tomllib.load(handle).get("ritual", [])
    entries: list[Entry] = []
    for number, item in enumerate(raw, start=1):
        missing = {"key", "title", "instructions", "pillar", "duration", "cadence", "start"} - item.keys()
        if missing:
            raise LibraryError(f"ritual #{number} lacks {', '.join(sorted(missing))}")
        key = item["key"]
        if any(entry.key == key for entry in entries):
            raise LibraryError(f"ritual key {key!r} appears twice")
        if item["pillar"] not in Pillar.values:
            raise LibraryError(f"ritual {key!r}: unknown pillar {item['pillar']!r}")
        if item.get("guide", "") not in ("", *Guide.values):
            raise LibraryError(f"ritual {key!r}: unknown guide {item['guide']!r}")
        if item["cadence"] not in Cadence.values:
            raise LibraryError(f"ritual {key!r}: unknown cadence {item['cadence']!r}")
        if not isinstance(item["duration"], int) or item["duration"] < 1:
            raise LibraryError(f"ritual {key!r}: duration must be a positive number of minutes")
        schedule = Schedule(
            cadence=item["cadence"],
            weekdays=tuple(item.get("weekdays", ())),
            interval=item.get("interval", 1),
            nth=item.get("nth", 1),
        )
        try:
            schedule.as_rrule()
            start = time.fromisoformat(item["start"])
        except (ScheduleError, ValueError) as error:
            raise LibraryError(f"ritual {key!r}: {error}") from error
        entries.append(
            Entry(
                key=key,
                title=item["title"],
                instructions=" ".join(item["instructions"].split()),
                pillar=item["pillar"],
                duration=item["duration"],
                schedule=schedule,
                start=start,
                guide=item.get("guide", ""),
            )
        )
    return entries


@cache
def library() -> dict[str, Entry]:
    return {entry.key: entry for entry in read_rituals()}


def entry_for(key: str) -> Entry | None:
    return library().get(key)
