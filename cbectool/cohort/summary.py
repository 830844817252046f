"""The trainer's cohort summary PDF and the workshop pack.

Every number and chart coordinate is computed here; the template
``report_templates/cohort-summary.html.j2`` only lays them out (autoescaped),
and draws the charts as inline SVG from these coordinates: no chart library,
nothing fetched, readable in black and white (labels carry every value).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cbectool import __version__
from cbectool.cohort.duplicates import SHOWN as DUPLICATES_SHOWN
from cbectool.cohort.duplicates import DuplicateName
from cbectool.cohort.outputs import SCORES_CSV, read_csv_rows
from cbectool.cohort.stats import CohortStats, DimensionStats, Entry
from cbectool.errors import CbecError
from cbectool.files import atomic_output, write_bytes_atomic
from cbectool.i18n import N_, direction, gettext, is_right_to_left, translate
from cbectool.questionnaire import Questionnaire
from cbectool.scoring import format_score
from cbectool.text import localize

SUMMARY_TEMPLATE = "cohort-summary.html.j2"
TOP_ACTIONS = 10
WEAKEST = 3
SHORTLIST_SHOWN = 50
PACK_VOLUME = 100
"""Documents per workshop-pack PDF (the summary counts as one): bounds the memory pypdf needs."""
CHART_WIDTH = 482.0  # points: the summary's full text width (170 mm), so chart text prints at its own size
BAR_HEIGHT = 17.0
BAR_GAP = 7.0
LABEL_WIDTH = 180.0
NOT_AVAILABLE = N_("n/a")
HELD_BACK = N_(" · cannot yet be paid or registered legally")


@dataclass(frozen=True)
class Bar:
    """One chart bar: its label, the value shown and the geometry (SVG user units)."""

    label: str
    value_text: str
    y: float
    width: float
    whisker_from: float | None = None  # spread: mean - sd .. mean + sd
    whisker_to: float | None = None


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: float
    height: float
    label_width: float
    plot_width: float
    bar_height: float
    ticks: tuple[tuple[float, str], ...]
    mirrored: bool = False  # right to left: labels on the right, bars growing leftwards (a table of rows)


@dataclass(frozen=True)
class DimensionRow:
    title: str
    weight_percent: int  # the area's share of the overall score
    mean: str  # like every score: cut to one decimal, never rounded up
    spread: str
    low: str
    high: str
    assessed: int


@dataclass(frozen=True)
class LevelRow:
    name: str
    min_score: str  # "35"


@dataclass(frozen=True)
class ActionRow:
    title: str
    dimension: str
    count: int
    percent: str


@dataclass(frozen=True)
class ShortlistRow:
    rank: int
    name: str
    city: str
    score: str
    level: str
    first_training: str


@dataclass(frozen=True)
class SummaryContext:
    """Everything ``cohort-summary.html.j2`` shows (documented in docs/batch.md)."""

    title: str
    questionnaire: str
    generated_on: str
    tool_version: str
    language: str
    direction: str  # "ltr" or "rtl"
    businesses: int
    rejected: int
    ready_count: int
    ready_level: str
    levels: tuple[LevelRow, ...]  # lowest first
    level_chart: Chart
    dimension_chart: Chart
    dimensions: tuple[DimensionRow, ...]
    weakest: tuple[DimensionRow, ...]
    actions: tuple[ActionRow, ...]
    first_trainings: tuple[ActionRow, ...]
    ready: tuple[ShortlistRow, ...]
    ready_more: int
    not_ready: tuple[ShortlistRow, ...]
    not_ready_more: int
    shortlist_shown: int  # the most businesses each list shows
    duplicates: tuple[DuplicateName, ...] = ()  # names on more than one row (each row scored), with their rows
    duplicates_more: int = 0


def build_summary(
    stats: CohortStats, questionnaire: Questionnaire, lang: str = "en", duplicates: Sequence[DuplicateName] = ()
) -> SummaryContext:
    """The summary's content from the cohort statistics; a name on more than one row is listed with its rows,
    and in the shortlists with its row number, so that the two entries can be told apart."""
    if (stats.questionnaire_id, stats.questionnaire_version) != (questionnaire.id, questionnaire.version):
        raise CbecError(
            f"these results are for {stats.questionnaire_id} {stats.questionnaire_version}, "
            f"not {questionnaire.id} {questionnaire.version}; pass the same --questionnaire"
        )
    level_names = {level.id: localize(level.name, lang) for level in questionnaire.levels}
    mirrored = is_right_to_left(lang)
    titles = {action.id: localize(action.title, lang) for action in questionnaire.actions}
    dimension_titles = {dimension.id: localize(dimension.title, lang) for dimension in questionnaire.dimensions}
    action_dimension = {action.id: dimension_titles.get(action.dimension, "") for action in questionnaire.actions}
    total = stats.businesses
    level_bars = [
        (level_names[level.id], stats.levels.get(level.id, 0), None, None) for level in reversed(questionnaire.levels)
    ]
    level_chart = _chart(
        [(label, count, f"{count} ({_percent(count, total)})") for label, count, _, _ in level_bars],
        maximum=max([count for _, count, _, _ in level_bars] + [1]),
        ticks=None,
        mirrored=mirrored,
    )
    rows = []
    dimension_bars = []
    total_weight = sum(dimension.weight for dimension in questionnaire.dimensions)
    for dimension in questionnaire.dimensions:
        values = stats.dimensions.get(dimension.id)
        mean = _mean(values)
        spread = values.spread if values else None
        title = dimension_titles[dimension.id]
        rows.append(
            DimensionRow(
                title,
                round(100 * dimension.weight / total_weight) if total_weight else 0,
                _score(mean, lang),
                gettext(NOT_AVAILABLE, lang) if spread is None else f"{spread:.1f}",
                _score(values.low if values and values.count else None, lang),
                _score(values.high if values and values.count else None, lang),
                values.count if values else 0,
            )
        )
        dimension_bars.append((title, mean, spread))
    dimension_chart = _chart(
        [(title, mean or 0.0, _score(mean, lang)) for title, mean, _ in dimension_bars],
        maximum=100.0,
        ticks=(0, 25, 50, 75, 100),
        spreads=[spread for _, _, spread in dimension_bars],
        mirrored=mirrored,
    )
    assessed = [(row, mean) for row, (_, mean, _) in zip(rows, dimension_bars, strict=True) if mean is not None]
    weakest = tuple(row for row, _ in sorted(assessed, key=lambda item: item[1])[:WEAKEST])
    actions = tuple(
        ActionRow(titles.get(action_id, action_id), action_dimension.get(action_id, ""), count, _percent(count, total))
        for action_id, count in _most_common(stats.actions, TOP_ACTIONS)
    )
    not_ready_total = total - stats.ready_count
    first_trainings = tuple(
        ActionRow(
            titles.get(action_id, action_id),
            action_dimension.get(action_id, ""),
            count,
            _percent(count, not_ready_total),
        )
        for action_id, count in _most_common(stats.first_actions, TOP_ACTIONS)
    )
    shared = {row for duplicate in duplicates for row in duplicate.rows}
    ready = _shortlist(stats.ranked(stats.ready), level_names, titles, shared, lang)
    not_ready = _shortlist(stats.ranked(stats.not_ready), level_names, titles, shared, lang)
    return SummaryContext(
        title=gettext(N_("Cohort summary"), lang),
        questionnaire=f"{localize(questionnaire.title, lang)} ({questionnaire.id} {questionnaire.version})",
        generated_on=dt.date.today().isoformat(),
        tool_version=__version__,
        language=lang,
        direction=direction(lang),
        businesses=total,
        rejected=stats.rejected,
        ready_count=stats.ready_count,
        ready_level=level_names[stats.ready_level],
        levels=tuple(LevelRow(level_names[level.id], format_score(level.min_score)) for level in questionnaire.levels),
        level_chart=level_chart,
        dimension_chart=dimension_chart,
        dimensions=tuple(rows),
        weakest=weakest,
        actions=actions,
        first_trainings=first_trainings,
        ready=ready,
        ready_more=stats.ready_count - len(ready),
        not_ready=not_ready,
        not_ready_more=not_ready_total - len(not_ready),
        shortlist_shown=SHORTLIST_SHOWN,
        duplicates=tuple(duplicates[:DUPLICATES_SHOWN]),
        duplicates_more=max(0, len(duplicates) - DUPLICATES_SHOWN),
    )


def _most_common(counter: Any, count: int) -> list[tuple[str, int]]:
    """Most frequent first; ties by id, so the summary is the same on every run and after a merge."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:count]


def _shortlist(
    entries: list[Entry], level_names: dict[str, str], titles: dict[str, str], shared: set[int], lang: str
) -> tuple[ShortlistRow, ...]:
    """Businesses held back by a legal barrier come after every other one, whatever their score, and say so; a
    name on more than one row carries its row number."""
    held_back = gettext(HELD_BACK, lang)
    return tuple(
        ShortlistRow(
            rank,
            translate(N_("{name} (row {row})"), lang, name=name, row=row) if row in shared else name,
            city,
            format_score(score),
            level_names.get(level, level) + ("" if clear else held_back),
            titles.get(first, ""),
        )
        for rank, (clear, score, _, row, name, city, level, first, _) in enumerate(entries[:SHORTLIST_SHOWN], start=1)
    )


def _chart(
    items: list[tuple[str, float, str]],
    *,
    maximum: float,
    ticks: tuple[int, ...] | None,
    spreads: list[float | None] | None = None,
    mirrored: bool = False,
) -> Chart:
    plot = CHART_WIDTH - LABEL_WIDTH - 60.0
    bars = []
    for index, (label, value, text) in enumerate(items):
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = plot * max(0.0, value) / maximum if maximum else 0.0
        whisker_from = whisker_to = None
        spread = spreads[index] if spreads else None
        if spread is not None and value:
            whisker_from = plot * max(0.0, value - spread) / maximum
            whisker_to = plot * min(maximum, value + spread) / maximum
        bars.append(Bar(label, text, y, round(width, 1), _round(whisker_from), _round(whisker_to)))
    height = len(items) * (BAR_HEIGHT + BAR_GAP) + (18.0 if ticks else 0.0)
    tick_marks = tuple((round(plot * tick / maximum, 1), str(tick)) for tick in ticks) if ticks else ()
    return Chart(tuple(bars), CHART_WIDTH, height, LABEL_WIDTH, plot, BAR_HEIGHT, tick_marks, mirrored)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _mean(values: DimensionStats | None) -> float | None:
    """The average score of an area, cut to one decimal like every score (exact: the sums are in tenths)."""
    if values is None or not values.count:
        return None
    return values.tenths // values.count / 10


def _score(value: float | None, lang: str = "en") -> str:
    return gettext(NOT_AVAILABLE, lang) if value is None else format_score(value)


def _percent(count: int, total: int) -> str:
    return f"{100 * count / total:.0f}%" if total else "0%"


def render_summary_pdf(
    stats: CohortStats,
    questionnaire: Questionnaire,
    *,
    lang: str = "en",
    template_dir: Path | None = None,
    duplicates: Sequence[DuplicateName] = (),
) -> bytes:
    from cbectool.report import render_template_pdf

    context = build_summary(stats, questionnaire, lang, duplicates)
    return render_template_pdf(SUMMARY_TEMPLATE, {"summary": context}, template_dir=template_dir, lang=lang)


def write_summary_pdf(
    stats: CohortStats,
    questionnaire: Questionnaire,
    path: Path,
    *,
    lang: str = "en",
    template_dir: Path | None = None,
    duplicates: Sequence[DuplicateName] = (),
) -> None:
    pdf = render_summary_pdf(stats, questionnaire, lang=lang, template_dir=template_dir, duplicates=duplicates)
    write_bytes_atomic(path, pdf)


def pack_documents(out: Path) -> list[Path]:
    """The summary, then every business's report in row order (as scores.csv lists them)."""
    documents = [out / "cohort-summary.pdf"]
    for row in read_csv_rows(out / SCORES_CSV):
        report = row.get("report", "")
        if report and (out / report).is_file():
            documents.append(out / report)
    return documents


def write_workshop_pack(out: Path, target: Path) -> list[Path]:
    """Printable PDFs for duplex printing: each document starts on a new sheet (a blank page after odd ones).

    pypdf holds a whole output file in memory (about 1.4 GB for 1,000 reports),
    so a large cohort is packed in volumes of ``PACK_VOLUME`` documents:
    ``workshop-pack.pdf`` when it fits in one, else ``workshop-pack-1.pdf``,
    ``workshop-pack-2.pdf``, ... Each is written to a temporary file and renamed.
    """
    documents = pack_documents(out)
    volumes = [documents[start : start + PACK_VOLUME] for start in range(0, len(documents), PACK_VOLUME)]
    if len(volumes) == 1:
        targets = [target]
    else:
        targets = [target.with_name(f"{target.stem}-{number}{target.suffix}") for number in range(1, len(volumes) + 1)]
    for volume, volume_target in zip(volumes, targets, strict=True):
        _write_volume(volume, volume_target)
    return targets


def _write_volume(documents: list[Path], target: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for document in documents:
        reader = PdfReader(document)
        writer.append(reader)
        if len(reader.pages) % 2:
            last = reader.pages[-1].mediabox
            writer.add_blank_page(width=float(last.width), height=float(last.height))
    with atomic_output(target) as stream:
        writer.write(stream)
