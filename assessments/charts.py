"""Geometry for the small server-rendered SVG charts: plain numbers for the templates,
so no chart library and no script. Every chart also has a text equivalent in the page."""

from dataclasses import dataclass
from datetime import datetime

from .definitions import Assessment, Dimension, Level, Method


def _scale(value: float, lowest: float, highest: float, start: float, end: float) -> float:
    span = highest - lowest
    share = (value - lowest) / span if span else 0.0
    return round(start + share * (end - start), 1)


@dataclass(frozen=True)
class Point:
    label: str
    kind: str  # "you" or "partner": the CSS class and the marker's shape
    x: float
    y: float

    @property
    def corner_x(self) -> float:
        return round(self.x - 7, 1)

    @property
    def corner_y(self) -> float:
        return round(self.y - 7, 1)


@dataclass(frozen=True)
class Region:
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class Quadrant:
    size: int
    pad: int
    cut_x: float
    cut_y: float
    points: tuple[Point, ...]
    regions: tuple[Region, ...]

    @property
    def inner(self) -> int:
        return self.size - 2 * self.pad

    @property
    def far(self) -> int:
        return self.size - self.pad

    @property
    def middle(self) -> float:
        return self.size / 2


def quadrant(assessment: Assessment, people: list[tuple[str, str, dict[str, float]]], size: int = 280) -> Quadrant:
    """Two scores on two axes: x from left (low) to right (high), y from bottom (low) to
    top (high); the cutoffs split the square into the four named quadrants."""
    pad = 36
    x_dim, y_dim = assessment.x_dimension, assessment.y_dimension
    assert x_dim.cutoff is not None and y_dim.cutoff is not None

    def to_x(value: float) -> float:
        return _scale(value, x_dim.lowest, x_dim.highest, pad, size - pad)

    def to_y(value: float) -> float:
        return _scale(value, y_dim.lowest, y_dim.highest, size - pad, pad)

    points = tuple(
        Point(label, kind, to_x(scores[x_dim.key]), to_y(scores[y_dim.key])) for label, kind, scores in people
    )
    cut_x, cut_y = to_x(x_dim.cutoff), to_y(y_dim.cutoff)
    regions = []
    for profile in assessment.profiles:
        levels = dict(profile.when)
        x = (cut_x + size - pad) / 2 if levels.get(x_dim.key) == Level.HIGH else (pad + cut_x) / 2
        y = (pad + cut_y) / 2 if levels.get(y_dim.key) == Level.HIGH else (cut_y + size - pad) / 2
        regions.append(Region(profile.label, round(x, 1), round(y, 1)))
    return Quadrant(size, pad, cut_x, cut_y, points, tuple(regions))


@dataclass(frozen=True)
class Bar:
    label: str
    kind: str
    y: float
    width: float
    value: str

    @property
    def text_y(self) -> float:
        return self.y + 12


@dataclass(frozen=True)
class BarGroup:
    dimension: Dimension
    y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Bars:
    width: int
    height: int
    left: int
    track: int
    groups: tuple[BarGroup, ...]


def display(dimension: Dimension, score: float) -> str:
    if dimension.as_percent:
        return f"{round(score * 100)}%"
    if dimension.method == Method.SUM:
        return f"{score:g} / {dimension.highest:g}"
    return f"{score:.1f} / {dimension.highest:g}"


def bars(assessment: Assessment, people: list[tuple[str, str, dict[str, float]]], width: int = 320) -> Bars:
    """One group per dimension: its label on a line, then one bar per person."""
    left, bar_height, gap = 0, 14, 6
    track = width - 70
    groups = []
    y = 0.0
    for dimension in assessment.dimensions:
        label_y = y + 14
        bar_y = y + 22
        group_bars = []
        for label, kind, scores in people:
            score = scores[dimension.key]
            length = max(2.0, _scale(score, dimension.lowest, dimension.highest, 0, track))
            group_bars.append(Bar(label, kind, bar_y, length, display(dimension, score)))
            bar_y += bar_height + gap
        groups.append(BarGroup(dimension, label_y, tuple(group_bars)))
        y = bar_y + 10
    return Bars(width, round(y), left, track, tuple(groups))


@dataclass(frozen=True)
class Line:
    dimension: Dimension
    points: str  # "x,y x,y ..." for a <polyline>
    dots: tuple[tuple[float, float], ...]
    first: str
    last: str


@dataclass(frozen=True)
class Trend:
    width: int
    height: int
    dates: tuple[datetime, ...]
    lines: tuple[Line, ...]


def trend(assessment: Assessment, attempts: list[tuple[datetime, dict[str, float]]]) -> Trend | None:
    """A small line per dimension across retakes, oldest to newest; None until there
    are two attempts to compare."""
    if len(attempts) < 2:
        return None
    width, height, pad = 240, 48, 6
    step = (width - 2 * pad) / (len(attempts) - 1)
    lines = []
    for dimension in assessment.dimensions:
        values = [scores[dimension.key] for _, scores in attempts if dimension.key in scores]
        if len(values) != len(attempts):
            continue
        dots = tuple(
            (round(pad + n * step, 1), _scale(value, dimension.lowest, dimension.highest, height - pad, pad))
            for n, value in enumerate(values)
        )
        lines.append(
            Line(
                dimension,
                " ".join(f"{x},{y}" for x, y in dots),
                dots,
                display(dimension, values[0]),
                display(dimension, values[-1]),
            )
        )
    return Trend(width, height, tuple(when for when, _ in attempts), tuple(lines))
