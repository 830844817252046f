"""The radar (spider) chart of dimension scores, drawn as SVG by hand.

No plotting library: a few polygons and labels are cheap to draw and keep the
report's start-up fast. The chart reads in black and white: the score area is
hatched, every point carries its number, and the rings are labelled.
"""

from __future__ import annotations

import base64
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import escape  # jinja2 loads it anyway; the html module costs 7 ms more

WIDTH = 520
HEIGHT = 390
RADIUS = 128
RINGS = (25, 50, 75, 100)
LABEL_WIDTH = 16  # characters per line of an axis label
LABEL_SIZE = 14  # px; the chart prints about 88 mm wide, so 14 px is about 7 pt
LINE = 16
FONT_FAMILY = "cbectool Naskh, DejaVu Sans, sans-serif"  # Naskh only for Arabic script: report_templates/fonts.css


@dataclass(frozen=True, slots=True)
class ChartAxis:
    number: int
    title: str
    score: float | None  # None: not assessed, drawn at the centre and labelled "n/a"


def radar_chart_svg(axes: Sequence[ChartAxis]) -> str:
    """An SVG document; a bar chart when there are fewer than three axes (no radar can show them)."""
    if len(axes) < 3:
        return _bar_chart_svg(axes)
    cx, cy = WIDTH / 2, HEIGHT / 2 + 5
    count = len(axes)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = RADIUS * max(0.0, min(value, 100.0)) / 100
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    parts = [_header(), _hatch()]
    for ring in RINGS:
        ring_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(count)))
        dash = "" if ring == 100 else ' stroke-dasharray="3 3"'
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#888" stroke-width="0.8"{dash}/>')
        _, label_y = point(0, ring)
        parts.append(f'<text x="{cx + 4:.1f}" y="{label_y + 10:.1f}" font-size="11" fill="#444">{ring}</text>')
    for index in range(count):
        x, y = point(index, 100)
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#888" stroke-width="0.8"/>')
    vertices = [point(index, axis.score or 0.0) for index, axis in enumerate(axes)]
    shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in vertices)
    parts.append(f'<polygon points="{shape}" fill="url(#hatch)" stroke="#000" stroke-width="2.2"/>')
    for index, (axis, (x, y)) in enumerate(zip(axes, vertices, strict=True)):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#000"/>')
        value = "n/a" if axis.score is None else f"{axis.score:.0f}"
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = RADIUS * max(0.0, min(axis.score or 0.0, 100.0)) / 100
        distance += 20 if distance < RADIUS - 30 else -22  # outside the shape, unless it would hit the label
        vx, vy = cx + distance * math.cos(angle), cy + distance * math.sin(angle)
        width = 9 * len(value) + 8
        parts.append(
            f'<rect x="{vx - width / 2:.1f}" y="{vy - 10:.1f}" width="{width}" height="19" rx="3" '
            f'fill="#fff" stroke="#000" stroke-width="0.8"/>'
            f'<text x="{vx:.1f}" y="{vy + 5:.1f}" font-size="13" font-weight="bold" text-anchor="middle">{value}</text>'
        )
        parts.append(_axis_label(axis, angle, *point(index, 100)))
    parts.append("</svg>")
    return "".join(parts)


def radar_chart_data_uri(axes: Sequence[ChartAxis]) -> str:
    """The chart as a ``data:`` URI, for an ``<img>`` that needs no file and no escaping."""
    encoded = base64.b64encode(radar_chart_svg(axes).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def _header() -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT_FAMILY}">'
    )


def _hatch() -> str:
    return (
        '<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="7" height="7" '
        'patternTransform="rotate(45)"><rect width="7" height="7" fill="#fff" fill-opacity="0.4"/>'
        '<line x1="0" y1="0" x2="0" y2="7" stroke="#333" stroke-width="1.6"/></pattern></defs>'
    )


def _axis_label(axis: ChartAxis, angle: float, x: float, y: float) -> str:
    cos, sin = math.cos(angle), math.sin(angle)
    anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
    lines = textwrap.wrap(f"{axis.number}. {axis.title}", LABEL_WIDTH) or [str(axis.number)]
    lx = x + 12 * cos
    ly = y + 14 * sin
    if sin < -0.3:  # above the chart: grow upwards
        ly -= LINE * (len(lines) - 1)
    elif abs(sin) <= 0.3:  # beside it: centre vertically
        ly -= LINE / 2 * (len(lines) - 1) - 5
    else:
        ly += 10
    spans = "".join(
        f'<tspan x="{lx:.1f}" dy="{0 if number == 0 else LINE}">{escape(line)}</tspan>'
        for number, line in enumerate(lines)
    )
    return f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="{LABEL_SIZE}" text-anchor="{anchor}">{spans}</text>'


def _bar_chart_svg(axes: Sequence[ChartAxis]) -> str:
    row = 46
    height = max(row * len(axes) + 30, 80)
    left, width = 200, 300
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT_FAMILY}">',
        _hatch(),
    ]
    for index, axis in enumerate(axes):
        y = 15 + index * row
        length = width * max(0.0, min(axis.score or 0.0, 100.0)) / 100
        value = "n/a" if axis.score is None else f"{axis.score:.0f}/100"
        parts.append(
            f'<text x="{left - 10}" y="{y + 19}" font-size="11" text-anchor="end">'
            f"{escape(f'{axis.number}. {axis.title}'[:32])}</text>"
        )
        parts.append(f'<rect x="{left}" y="{y}" width="{width}" height="28" fill="none" stroke="#888"/>')
        parts.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="28" fill="url(#hatch)" stroke="#000"/>')
        parts.append(f'<text x="{left + width + 8}" y="{y + 19}" font-size="11" font-weight="bold">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)
