"""The radar (spider) chart of area scores, drawn as SVG by hand.

No plotting library: a few polygons and labels are cheap to draw and keep the
report's start-up fast. The chart reads in black and white: the score area is
hatched, and each axis ends in a label with the area's number (the table
beside the chart names it) and its score in bold.

Nothing can overlap, whatever the scores: the scores sit outside the outer
ring, at the end of their axis, never next to the points; the ring values
(25, 50, 75, 100) sit just inside their rings, beside the first axis. The
geometry is computed (``label_boxes``, ``tick_boxes``) and tested, with the
widths of DejaVu Sans, the report's font.

Units are points: the report prints the chart ``WIDTH`` points wide (100 mm),
so a font size here is the printed size.

A right-to-left report (Urdu) gets the chart mirrored: the areas go round anticlockwise from the
top, each label has its numbered circle on the right, the ring values sit left of the first axis.
Figures read left to right as everywhere (docs/urdu.md).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import escape  # jinja2 loads it anyway; the html module costs 7 ms more

from cbectool.scoring import format_score

WIDTH = 100 / 25.4 * 72  # 100 mm in points
HEIGHT = 256.0
RINGS = (25, 50, 75, 100)
NUMBER_SIZE = 10.0  # pt: the area's number, in a circle
VALUE_SIZE = 11.0  # pt, bold: the score
TICK_SIZE = 9.0  # pt: the ring values
BADGE = 8.0  # radius of the circle around an area's number
GAP = 5.0  # between the outer ring and a label
MARGIN = 2.0
FONT_FAMILY = "cbectool Naskh, DejaVu Sans, sans-serif"  # Naskh only for Arabic script: report_templates/fonts.css

# Advance widths in em of DejaVu Sans (regular and bold) for every character a label can hold
# (tests/test_report.py checks them against the font file).
REGULAR_WIDTHS = {**dict.fromkeys("0123456789", 0.636), ".": 0.318, "/": 0.337, "n": 0.634, "a": 0.613}
BOLD_WIDTHS = {**dict.fromkeys("0123456789", 0.696), ".": 0.380, "/": 0.365, "n": 0.712, "a": 0.675}


@dataclass(frozen=True, slots=True)
class ChartAxis:
    number: int
    title: str
    score: float | None  # None: not assessed, drawn at the centre and labelled "n/a" (``missing``)


@dataclass(frozen=True, slots=True)
class Box:
    """A label's extent on the chart, in points (y grows downwards)."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )


def radar_chart_svg(axes: Sequence[ChartAxis], *, mirrored: bool = False, missing: str = "n/a") -> str:
    """An SVG document; a bar chart when there are fewer than three axes (no radar can show them).

    ``mirrored``: for a right-to-left document; ``missing``: the label of an area not assessed."""
    if len(axes) < 3:
        return _bar_chart_svg(axes, mirrored, missing)
    geometry = _Geometry(len(axes), [_label_size(axis, missing) for axis in axes], mirrored)
    parts = [_header(WIDTH, HEIGHT), _hatch()]
    for ring in RINGS:
        ring_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (geometry.point(i, ring) for i in range(len(axes))))
        dash = "" if ring == 100 else ' stroke-dasharray="3 3"'
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#666" stroke-width="0.6"{dash}/>')
    for index in range(len(axes)):
        x, y = geometry.point(index, 100)
        parts.append(
            f'<line x1="{geometry.cx:.1f}" y1="{geometry.cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
            f'stroke="#666" stroke-width="0.6"/>'
        )
    vertices = [geometry.point(index, axis.score or 0.0) for index, axis in enumerate(axes)]
    shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in vertices)
    parts.append(f'<polygon points="{shape}" fill="url(#hatch)" stroke="#000" stroke-width="1.6"/>')
    parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="#000"/>' for x, y in vertices)
    for ring, box in zip(RINGS, geometry.tick_boxes(), strict=True):
        # a white outline under the figures (not a box): legible over the hatching, hiding little of the shape
        x, y = (box.left + box.right) / 2, box.bottom - 2.2
        text = f'x="{x:.1f}" y="{y:.1f}" font-size="{TICK_SIZE}" text-anchor="middle"'
        parts.append(
            f'<text {text} fill="#fff" stroke="#fff" stroke-width="2.4" stroke-linejoin="round">{ring}</text>'
            f'<text {text} fill="#222">{ring}</text>'
        )
    for axis, box in zip(axes, geometry.label_boxes(), strict=True):
        parts.append(_axis_label(axis, box, mirrored, missing))
    parts.append("</svg>")
    return "".join(parts)


def label_boxes(axes: Sequence[ChartAxis], *, mirrored: bool = False) -> list[Box]:
    """Where each axis label is drawn (for tests: they must not overlap each other or the ring values)."""
    return _Geometry(len(axes), [_label_size(axis) for axis in axes], mirrored).label_boxes()


def tick_boxes(axes: Sequence[ChartAxis], *, mirrored: bool = False) -> list[Box]:
    """Where the ring values 25, 50, 75 and 100 are drawn."""
    return _Geometry(len(axes), [_label_size(axis) for axis in axes], mirrored).tick_boxes()


def radar_chart_data_uri(axes: Sequence[ChartAxis], *, mirrored: bool = False, missing: str = "n/a") -> str:
    """The chart as a ``data:`` URI, for an ``<img>`` that needs no file and no escaping."""
    svg = radar_chart_svg(axes, mirrored=mirrored, missing=missing)
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Printed width of a label's text in points (digits, '.', 'n/a')."""
    widths = BOLD_WIDTHS if bold else REGULAR_WIDTHS
    return sum(widths.get(character, 0.75) for character in text) * size


def _value(axis: ChartAxis, missing: str = "n/a") -> str:
    return missing if axis.score is None else format_score(axis.score)


def _label_size(axis: ChartAxis, missing: str = "n/a") -> tuple[float, float]:
    """Width and height of a label: the numbered circle, a space, the score."""
    width = 2 * BADGE + 3 + text_width(_value(axis, missing), VALUE_SIZE, bold=True)
    return width, 2 * BADGE


class _Geometry:
    """The chart's centre and the largest radius at which every label still fits inside the chart."""

    def __init__(self, count: int, sizes: list[tuple[float, float]], mirrored: bool = False) -> None:
        self.count = count
        self.sizes = sizes
        self.mirrored = mirrored  # the same geometry reflected left to right
        self.cx = WIDTH / 2
        self.cy = HEIGHT / 2
        self.radius = min(self._room(index, width, height) for index, (width, height) in enumerate(sizes))

    def _room(self, index: int, width: float, height: float) -> float:
        """The largest radius at which this axis's label stays inside the chart (see ``label_boxes``)."""
        angle = self.angle(index)
        cos, sin = abs(math.cos(angle)), abs(math.sin(angle))
        across = width / 2 if cos < 0.3 else width  # how far the label reaches beyond its anchor point
        down = height / 2 if sin < 0.3 else height
        sideways = (self.cx - MARGIN - across) / cos - GAP if cos > 1e-9 else math.inf
        upright = (self.cy - MARGIN - down) / sin - GAP if sin > 1e-9 else math.inf
        return min(sideways, upright)

    def angle(self, index: float) -> float:
        turn = -1 if self.mirrored else 1  # anticlockwise from the top, right to left
        return -math.pi / 2 + turn * 2 * math.pi * index / self.count

    def point(self, index: int, value: float) -> tuple[float, float]:
        angle = self.angle(index)
        distance = self.radius * max(0.0, min(value, 100.0)) / 100
        return self.cx + distance * math.cos(angle), self.cy + distance * math.sin(angle)

    def label_boxes(self) -> list[Box]:
        boxes = []
        for index, (width, height) in enumerate(self.sizes):
            angle = self.angle(index)
            cos, sin = math.cos(angle), math.sin(angle)
            x = self.cx + (self.radius + GAP) * cos
            y = self.cy + (self.radius + GAP) * sin
            left = x - width / 2 if abs(cos) < 0.3 else (x if cos > 0 else x - width)
            top = y - height / 2 if abs(sin) < 0.3 else (y if sin > 0 else y - height)
            boxes.append(Box(left, top, left + width, top + height))
        return boxes

    def tick_boxes(self) -> list[Box]:
        """Just inside each ring, to the right of the first axis: the scores sit outside the chart, so
        nothing else is written there, and the box stays clear of the first axis and its point."""
        boxes = []
        for ring in RINGS:
            top = self.cy - self.radius * ring / 100 + 1.5
            width = text_width(str(ring), TICK_SIZE) + 2
            left = self.cx - 4 - width if self.mirrored else self.cx + 4  # on the side the areas go round to
            boxes.append(Box(left, top, left + width, top + TICK_SIZE + 1))
        return boxes


def _axis_label(axis: ChartAxis, box: Box, mirrored: bool = False, missing: str = "n/a") -> str:
    """The numbered circle, then the score: from the left, or in a mirrored chart from the right."""
    middle = box.top + BADGE
    badge_x = box.right - BADGE if mirrored else box.left + BADGE
    value_x, anchor = (box.right - 2 * BADGE - 3, "end") if mirrored else (box.left + 2 * BADGE + 3, "start")
    return (
        f'<circle cx="{badge_x:.1f}" cy="{middle:.1f}" r="{BADGE - 0.5}" fill="#fff" stroke="#000" stroke-width="1"/>'
        f'<text x="{badge_x:.1f}" y="{middle + NUMBER_SIZE * 0.36:.1f}" font-size="{NUMBER_SIZE}" '
        f'text-anchor="middle">{axis.number}</text>'
        f'<text x="{value_x:.1f}" y="{middle + VALUE_SIZE * 0.36:.1f}" font-size="{VALUE_SIZE}" '
        f'font-weight="bold" text-anchor="{anchor}">{escape(_value(axis, missing))}</text>'
    )


def _header(width: float, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}">'
    )


def _hatch() -> str:
    return (
        '<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="5" height="5" '
        'patternTransform="rotate(45)"><rect width="5" height="5" fill="#fff" fill-opacity="0.4"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#333" stroke-width="1.1"/></pattern></defs>'
    )


def _bar_chart_svg(axes: Sequence[ChartAxis], mirrored: bool = False, missing: str = "n/a") -> str:
    row = 30.0
    height = max(row * len(axes) + 10, 40)
    left, width = 30.0, 190.0

    def x(value: float) -> float:  # a mirrored chart grows its bars from the right
        return WIDTH - value if mirrored else value

    parts = [_header(WIDTH, height), _hatch()]
    for index, axis in enumerate(axes):
        y = 5 + index * row
        length = width * max(0.0, min(axis.score or 0.0, 100.0)) / 100
        value = missing if axis.score is None else f"{format_score(axis.score)}/100"
        parts.append(
            f'<circle cx="{x(left - 14)}" cy="{y + 10}" r="{BADGE - 0.5}" fill="#fff" stroke="#000" stroke-width="1"/>'
            f'<text x="{x(left - 14)}" y="{y + 10 + NUMBER_SIZE * 0.36:.1f}" font-size="{NUMBER_SIZE}" '
            f'text-anchor="middle">{axis.number}</text>'
        )
        frame_x = x(left + width) if mirrored else left
        parts.append(f'<rect x="{frame_x}" y="{y}" width="{width}" height="20" fill="none" stroke="#666"/>')
        bar_x = x(left + length) if mirrored else left
        parts.append(
            f'<rect x="{bar_x:.1f}" y="{y}" width="{length:.1f}" height="20" fill="url(#hatch)" stroke="#000"/>'
        )
        anchor = ' text-anchor="end"' if mirrored else ""
        parts.append(
            f'<text x="{x(left + width + 6)}" y="{y + 14}" font-size="{VALUE_SIZE}" font-weight="bold"{anchor}>'
            f"{escape(value)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
