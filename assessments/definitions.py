"""The assessments, as shipped in assessments/data/: one TOML file each, read and checked
here. A broken file is refused with an AssessmentError naming the file and the fault, so
a typo fails loudly at start-up (and in the tests) rather than as a wrong result later.

The shape of a file (see attachment.toml for a full one):
    slug, title, summary, basis, minutes, chart ("quadrant", "bars" or "count"), options
    (the default option set), and for a quadrant chart x and y (dimension keys)
    [[option_set]] key, options = [{value, label}, ...]  (integer values score; strings
                   are choices, scored by an item's `answer`)
    [[dimension]]  key, label, method ("mean", "sum" or "correct"), optional cutoff (the
                   score from which it counts as high), differ_by, description, talk = [...]
        [[dimension.band]] at_least, key, title, text, next_steps, prompts, rituals (keys
                   of rituals/data/rituals.toml, each linked to its add page)
    [[profile]]    a result for the whole assessment: key, title, ..., and either
                   when = {dimension = "high" | "low"} or top = "dimension"
    [[item]]       key, text, dimension, optional options, reverse, answer, feedback
    [[note]]       title, text: shown with every result
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import models

DATA_DIR = Path(__file__).resolve().parent / "data"
# The ritual library a band's `rituals` name, read as data: rituals/ and assessments/
# are sibling apps and do not import each other (lint-imports).
RITUALS_FILE = Path(__file__).resolve().parent.parent / "rituals" / "data" / "rituals.toml"


class Method(models.TextChoices):
    """How a dimension's items add up to its score."""

    MEAN = "mean"
    SUM = "sum"
    CORRECT = "correct"


class Chart(models.TextChoices):
    QUADRANT = "quadrant"
    BARS = "bars"
    COUNT = "count"


class Level(models.TextChoices):
    """Where a score falls against its dimension's cutoff."""

    HIGH = "high"
    LOW = "low"


class AssessmentError(ValueError):
    """A data file that cannot be used, with the reason."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    score: int | None  # None for a choice (a scene's "toward", "away", "against")


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    dimension: str
    options: tuple[Option, ...]
    reverse: bool = False
    answer: str | None = None  # the expected option, for "correct" dimensions
    feedback: str = ""

    @property
    def field_name(self) -> str:
        return f"q-{self.key}"

    def option(self, value: str) -> Option | None:
        return next((option for option in self.options if option.value == value), None)

    @property
    def lowest(self) -> int:
        return min(option.score for option in self.options if option.score is not None)

    @property
    def highest(self) -> int:
        return max(option.score for option in self.options if option.score is not None)


@dataclass(frozen=True)
class SuggestedRitual:
    """A library ritual a band suggests: its key (for the add page) and its title."""

    key: str
    title: str


@cache
def ritual_library_titles() -> dict[str, str]:
    """Each library ritual's title by its key."""
    with RITUALS_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return {entry["key"]: entry["title"] for entry in data.get("ritual", [])}


@dataclass(frozen=True)
class Band:
    key: str
    title: str
    text: str
    next_steps: tuple[str, ...] = ()
    prompts: tuple[str, ...] = ()
    rituals: tuple[SuggestedRitual, ...] = ()
    at_least: float | None = None  # a dimension's band: from this score up to the next band
    when: tuple[tuple[str, str], ...] = ()  # a profile: (dimension, "high" | "low") pairs
    top: str | None = None  # a profile: this dimension scored highest
    short: str = ""  # a name short enough for a chart label

    @property
    def label(self) -> str:
        return self.short or self.title


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    method: str
    lowest: float
    highest: float
    description: str = ""
    cutoff: float | None = None
    differ_by: float = 1.0
    bands: tuple[Band, ...] = ()
    talk: tuple[str, ...] = ()

    @property
    def as_percent(self) -> bool:
        return self.method == Method.CORRECT


@dataclass(frozen=True)
class Note:
    title: str
    text: str


@dataclass(frozen=True)
class Assessment:
    slug: str
    title: str
    summary: str
    basis: str
    minutes: int
    chart: str
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    profiles: tuple[Band, ...] = ()
    notes: tuple[Note, ...] = ()
    intro: str = ""
    x: str | None = None
    y: str | None = None

    def dimension(self, key: str) -> Dimension:
        return next(dimension for dimension in self.dimensions if dimension.key == key)

    def items_of(self, key: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.dimension == key)

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)

    @property
    def x_dimension(self) -> Dimension:
        assert self.x is not None
        return self.dimension(self.x)

    @property
    def y_dimension(self) -> Dimension:
        assert self.y is not None
        return self.dimension(self.y)


# --- Reading and checking ----------------------------------------------------------


def _require(entry: dict, fields: tuple[str, ...], where: str) -> None:
    missing = [name for name in fields if name not in entry or entry[name] in ("", None)]
    if missing:
        raise AssessmentError(f"{where} lacks {', '.join(missing)}")


def _strings(entry: dict, name: str, where: str) -> tuple[str, ...]:
    value = entry.get(name, [])
    if not isinstance(value, list) or not all(isinstance(text, str) and text for text in value):
        raise AssessmentError(f"{where}: {name} must be a list of non-empty strings")
    return tuple(value)


def _option_sets(data: dict, where: str) -> dict[str, tuple[Option, ...]]:
    sets: dict[str, tuple[Option, ...]] = {}
    for number, entry in enumerate(data.get("option_set", []), start=1):
        _require(entry, ("key", "options"), f"{where}: option set #{number}")
        key = entry["key"]
        if key in sets:
            raise AssessmentError(f"{where}: option set {key!r} appears twice")
        options = []
        for option in entry["options"]:
            _require(option, ("value", "label"), f"{where}: option set {key!r}")
            value = option["value"]
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise AssessmentError(f"{where}: option set {key!r} has a value that is neither a number nor a word")
            options.append(Option(str(value), option["label"], value if isinstance(value, int) else None))
        if len(options) < 2:
            raise AssessmentError(f"{where}: option set {key!r} needs at least two options")
        if len({option.value for option in options}) != len(options):
            raise AssessmentError(f"{where}: option set {key!r} repeats a value")
        if len({option.score is None for option in options}) != 1:
            raise AssessmentError(f"{where}: option set {key!r} mixes numbers and words")
        sets[key] = tuple(options)
    return sets


def _band(entry: dict, where: str) -> Band:
    _require(entry, ("key", "title", "text"), where)
    when = entry.get("when", {})
    if not isinstance(when, dict) or any(level not in Level.values for level in when.values()):
        raise AssessmentError(f"{where}: when must map dimensions to 'high' or 'low'")
    titles = ritual_library_titles()
    rituals = _strings(entry, "rituals", where)
    unknown = [key for key in rituals if key not in titles]
    if unknown:
        raise AssessmentError(f"{where}: rituals names {unknown[0]!r}, which is not a key in the ritual library")
    at_least = entry.get("at_least")
    if at_least is not None and (isinstance(at_least, bool) or not isinstance(at_least, int | float)):
        raise AssessmentError(f"{where}: at_least must be a number")
    return Band(
        key=entry["key"],
        title=entry["title"],
        text=entry["text"],
        next_steps=_strings(entry, "next_steps", where),
        prompts=_strings(entry, "prompts", where),
        rituals=tuple(SuggestedRitual(key, titles[key]) for key in rituals),
        at_least=at_least,
        when=tuple(sorted(when.items())),
        top=entry.get("top"),
        short=entry.get("short", ""),
    )


def _items(data: dict, sets: dict[str, tuple[Option, ...]], dimensions: set[str], where: str) -> tuple[Item, ...]:
    items = []
    keys: set[str] = set()
    for number, entry in enumerate(data.get("item", []), start=1):
        _require(entry, ("key", "text", "dimension"), f"{where}: item #{number}")
        key = entry["key"]
        here = f"{where}: item {key!r}"
        if key in keys:
            raise AssessmentError(f"{where}: item key {key!r} appears twice")
        keys.add(key)
        if entry["dimension"] not in dimensions:
            raise AssessmentError(f"{here} scores an unknown dimension {entry['dimension']!r}")
        set_key = entry.get("options", data.get("options"))
        if set_key not in sets:
            raise AssessmentError(f"{here} uses an unknown option set {set_key!r}")
        options = sets[set_key]
        answer = entry.get("answer")
        if answer is not None and str(answer) not in {option.value for option in options}:
            raise AssessmentError(f"{here}: its answer {answer!r} is not one of its options")
        reverse = entry.get("reverse", False)
        if not isinstance(reverse, bool):
            raise AssessmentError(f"{here}: reverse must be true or false")
        if reverse and options[0].score is None:
            raise AssessmentError(f"{here} is reverse-keyed but its options are not numbers")
        items.append(
            Item(
                key=key,
                text=entry["text"],
                dimension=entry["dimension"],
                options=options,
                reverse=reverse,
                answer=None if answer is None else str(answer),
                feedback=entry.get("feedback", ""),
            )
        )
    if not items:
        raise AssessmentError(f"{where} has no items")
    return tuple(items)


def _score_range(method: str, items: tuple[Item, ...]) -> tuple[float, float]:
    if method == Method.CORRECT:
        return 0.0, 1.0
    if method == Method.SUM:
        return float(sum(item.lowest for item in items)), float(sum(item.highest for item in items))
    return float(min(item.lowest for item in items)), float(max(item.highest for item in items))


def _dimension(entry: dict, items: tuple[Item, ...], where: str) -> Dimension:
    key = entry["key"]
    here = f"{where}: dimension {key!r}"
    mine = tuple(item for item in items if item.dimension == key)
    if not mine:
        raise AssessmentError(f"{here} has no items")
    method = entry.get("method", Method.MEAN)
    if method not in Method.values:
        raise AssessmentError(f"{here}: unknown scoring method {method!r} (use {', '.join(Method.values)})")
    if method == Method.CORRECT:
        if any(item.answer is None for item in mine):
            raise AssessmentError(f"{here} scores by correct answers, but an item has no answer")
    elif any(item.options[0].score is None for item in mine):
        raise AssessmentError(f"{here} adds up scores, but an item's options are not numbers")
    lowest, highest = _score_range(method, mine)
    bands = tuple(_band(band, f"{here}, band #{n}") for n, band in enumerate(entry.get("band", []), start=1))
    if any(band.at_least is None for band in bands):
        raise AssessmentError(f"{here}: every band needs at_least")
    edges = [band.at_least for band in bands if band.at_least is not None]
    if bands:
        if edges != sorted(edges) or len(set(edges)) != len(edges):
            raise AssessmentError(f"{here}: bands must go up in at_least")
        if edges[0] != lowest:
            raise AssessmentError(f"{here}: the first band must start at the lowest score, {lowest:g}")
        if any(edge > highest for edge in edges):
            raise AssessmentError(f"{here}: a band starts above the highest score, {highest:g}")
    cutoff = entry.get("cutoff")
    if cutoff is not None and not lowest < cutoff <= highest:
        raise AssessmentError(f"{here}: cutoff {cutoff} is outside its scores ({lowest:g} to {highest:g})")
    return Dimension(
        key=key,
        label=entry["label"],
        method=method,
        lowest=lowest,
        highest=highest,
        description=entry.get("description", ""),
        cutoff=cutoff,
        differ_by=entry.get("differ_by", 1.0),
        bands=bands,
        talk=_strings(entry, "talk", here),
    )


def parse(data: dict, where: str) -> Assessment:
    """An Assessment from a file's parsed TOML; AssessmentError if anything is off."""
    _require(data, ("slug", "title", "summary", "basis", "minutes", "chart", "options"), where)
    if data["chart"] not in Chart.values:
        raise AssessmentError(f"{where}: unknown chart {data['chart']!r} (use {', '.join(Chart.values)})")
    sets = _option_sets(data, where)
    entries = data.get("dimension", [])
    for number, entry in enumerate(entries, start=1):
        _require(entry, ("key", "label"), f"{where}: dimension #{number}")
    keys = [entry["key"] for entry in entries]
    if len(set(keys)) != len(keys):
        raise AssessmentError(f"{where}: a dimension key appears twice")
    items = _items(data, sets, set(keys), where)
    dimensions = tuple(_dimension(entry, items, where) for entry in entries)
    by_key = {dimension.key: dimension for dimension in dimensions}
    profiles = tuple(_band(entry, f"{where}: profile #{n}") for n, entry in enumerate(data.get("profile", []), 1))
    for profile in profiles:
        if not profile.when and profile.top is None:
            raise AssessmentError(f"{where}: profile {profile.key!r} needs `when` or `top`")
        for key, _level in profile.when:
            if key not in by_key or by_key[key].cutoff is None:
                raise AssessmentError(f"{where}: profile {profile.key!r} asks about {key!r}, which has no cutoff")
        if profile.top is not None and profile.top not in by_key:
            raise AssessmentError(f"{where}: profile {profile.key!r} names an unknown dimension {profile.top!r}")
    if profiles:
        _check_profiles_cover(profiles, by_key, where)
    for dimension in dimensions:
        if not dimension.bands and not profiles:
            raise AssessmentError(f"{where}: dimension {dimension.key!r} has no bands and there are no profiles")
    if data["chart"] == Chart.QUADRANT:
        for axis in ("x", "y"):
            if data.get(axis) not in by_key or by_key[data[axis]].cutoff is None:
                raise AssessmentError(f"{where}: a quadrant chart needs {axis} = a dimension with a cutoff")
    notes = []
    for number, note in enumerate(data.get("note", []), start=1):
        _require(note, ("title", "text"), f"{where}: note #{number}")
        notes.append(Note(note["title"], note["text"]))
    return Assessment(
        slug=data["slug"],
        title=data["title"],
        summary=data["summary"],
        basis=data["basis"],
        minutes=data["minutes"],
        chart=data["chart"],
        dimensions=dimensions,
        items=items,
        profiles=profiles,
        notes=tuple(notes),
        intro=data.get("intro", ""),
        x=data.get("x"),
        y=data.get("y"),
    )


def _check_profiles_cover(profiles: tuple[Band, ...], by_key: dict[str, Dimension], where: str) -> None:
    """Every result must find exactly one profile: each high/low combination once, or
    each dimension as the top one once."""
    tops = [profile.top for profile in profiles if profile.top is not None]
    if tops:
        if sorted(tops) != sorted(by_key) or len(tops) != len(profiles):
            raise AssessmentError(f"{where}: `top` profiles must name each dimension exactly once")
        return
    asked = sorted({key for profile in profiles for key, _ in profile.when})
    combinations = {tuple(sorted(profile.when)) for profile in profiles}
    if len(combinations) != len(profiles) or len(profiles) != 2 ** len(asked):
        raise AssessmentError(f"{where}: profiles must cover each high/low combination of {asked} exactly once")
    if any(len(profile.when) != len(asked) for profile in profiles):
        raise AssessmentError(f"{where}: every profile must ask about the same dimensions")


def read_assessment(path: Path) -> Assessment:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise AssessmentError(f"{path.name} is not valid TOML: {error}") from error
    assessment = parse(data, path.name)
    if assessment.slug != path.stem:
        raise AssessmentError(f"{path.name}: slug {assessment.slug!r} must match the file name")
    return assessment


# The order of the list page: lighter first, attachment (the longest) last.
ORDER = ("fading-intimacy", "bids", "five-pillars", "receiving-care", "conflict-patterns", "attachment")


@cache
def catalogue() -> dict[str, Assessment]:
    """Every shipped assessment by slug, in list order."""
    found = {path.stem: read_assessment(path) for path in sorted(DATA_DIR.glob("*.toml"))}
    ordered = [slug for slug in ORDER if slug in found] + sorted(set(found) - set(ORDER))
    return {slug: found[slug] for slug in ordered}


def get(slug: str) -> Assessment | None:
    return catalogue().get(slug)
