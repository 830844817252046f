"""The report context: everything a report template shows, prepared and typed.

Templates only format. Every number, text and decision (what is a gap, which
actions go in which phase, which glossary terms appear) is made here, so a
custom template (``--template-dir``) cannot get the content wrong and the
content is tested without rendering a PDF. The template receives one variable,
``report``, a :class:`ReportContext`; docs/report.md documents its fields.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass

from cbectool import __version__
from cbectool.conditions import Answer
from cbectool.questionnaire import Action, Dimension, Question, Questionnaire, QuestionType
from cbectool.report.chart import ChartAxis, radar_chart_data_uri
from cbectool.report.glossary import GlossaryEntry, glossary_for
from cbectool.scoring import AnswerScore, AnswerStatus, DimensionScore, Evaluated
from cbectool.text import localize

TOP_STEPS = 5
PLAN_PHASES = (30, 60, 90)


@dataclass(frozen=True, slots=True)
class BusinessInfo:
    """The business's profile as the owner gave it; ``None`` where not given."""

    name: str
    city: str | None
    sector: str | None
    products: str | None
    contact: str | None


@dataclass(frozen=True, slots=True)
class LevelInfo:
    """One readiness level of the questionnaire."""

    id: str
    name: str
    meaning: str
    min_score: float
    rank: int  # 1 is the lowest level
    reached: bool  # the business's overall level is this one


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Where an action's advice comes from; ``site`` is the URL's host, short enough to print."""

    title: str
    url: str
    date: str
    site: str


@dataclass(frozen=True, slots=True)
class ActionItem:
    """A recommended action, in the order of importance the scoring engine gave."""

    id: str
    priority: int  # 1 is the most important
    title: str
    why: str
    first_step: str
    where: str
    effort: str  # "low", "medium" or "high"
    impact: str  # "low", "medium" or "high"
    timeframe_days: int  # 30, 60 or 90
    dimension_id: str
    dimension_title: str
    gate_related: bool  # lifts a gate that holds the overall level down
    sources: tuple[SourceInfo, ...]


@dataclass(frozen=True, slots=True)
class GateInfo:
    """A gate that fired: something that holds the business back whatever its score."""

    id: str
    reason: str
    cap_level_name: str
    lowered_level: bool  # True when this gate is why the overall level is lower than the score alone
    action_titles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AnswerLine:
    """One scored answer: what was asked, what the owner answered, the points."""

    question_id: str
    question: str
    answer: str
    points: float
    possible: float
    lost: float  # points this answer cost


@dataclass(frozen=True, slots=True)
class DimensionSection:
    """One dimension's section of the report."""

    id: str
    number: int  # 1-based, for headings and the chart
    title: str
    description: str
    weight_percent: float  # share of the overall score
    score: float | None  # 0-100, None when nothing in it could be scored
    score_text: str  # "64/100" or "not assessed"
    level_name: str | None
    earned: float
    possible: float
    points_lost: float
    in_place: tuple[AnswerLine, ...]  # answers that earned every point
    gaps: tuple[AnswerLine, ...]  # answers that cost points, the costliest first
    not_counted: int  # questions skipped, not applicable or left blank
    actions: tuple[ActionItem, ...]


@dataclass(frozen=True, slots=True)
class PlanPhase:
    """The actions to finish within ``days`` days (and after the previous phase)."""

    days: int
    title: str
    actions: tuple[ActionItem, ...]


@dataclass(frozen=True, slots=True)
class ReportContext:
    """Everything the report shows. Templates receive it as ``report``."""

    business: BusinessInfo
    assessed_on: str  # "23 November 2026"
    assessor: str  # "Self-assessment" or the trainer's name
    generated_on: str
    language: str
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_title: str
    tool_version: str
    overall_score: float  # 0-100
    overall_score_text: str  # "57/100"
    level: LevelInfo  # after gates
    band_level_name: str  # what the score alone would give
    level_capped: bool  # a gate lowered the level
    levels: tuple[LevelInfo, ...]  # lowest first
    gates: tuple[GateInfo, ...]  # fired gates, in questionnaire order
    top_steps: tuple[ActionItem, ...]  # the five most important actions
    actions: tuple[ActionItem, ...]  # every recommended action, most important first
    dimensions: tuple[DimensionSection, ...]
    plan: tuple[PlanPhase, ...]  # 30, 60 and 90 days; empty phases included
    glossary: tuple[GlossaryEntry, ...]  # terms that the report's text uses, alphabetical
    radar_chart: str  # a data: URI of an SVG radar chart of the dimension scores
    footer: str  # business, questionnaire and tool version, for the page footer
    warnings: tuple[str, ...]  # e.g. scored with another questionnaire version


def build_context(evaluated: Evaluated, *, lang: str = "en", today: dt.date | None = None) -> ReportContext:
    """Prepare the whole report from an evaluated response; pure apart from reading the date."""
    questionnaire = evaluated.questionnaire
    assessment = evaluated.assessment
    response = evaluated.response
    today = today or dt.date.today()
    business = response.business
    titles = {dimension.id: localize(dimension.title, lang) for dimension in questionnaire.dimensions}
    library = {action.id: action for action in questionnaire.actions}
    actions = tuple(
        _action_item(library[recommended.id], recommended.priority, recommended.gate_related, titles, lang)
        for recommended in assessment.actions
    )
    overall = assessment.overall
    levels = tuple(
        LevelInfo(
            level.id,
            localize(level.name, lang),
            localize(level.meaning, lang),
            level.min_score,
            rank,
            level.id == overall.level,
        )
        for rank, level in enumerate(questionnaire.levels, start=1)
    )
    level_by_id = {level.id: level for level in levels}
    gates = tuple(
        GateInfo(
            gate.id,
            localize(gate.reason, lang),
            level_by_id[gate.cap_level].name,
            gate.id in overall.capped_by,
            tuple(localize(library[action_id].title, lang) for action_id in gate.actions if action_id in library),
        )
        for gate in questionnaire.gates
        if gate.id in assessment.gates
    )
    total_weight = sum(dimension.weight for dimension in questionnaire.dimensions)
    sections = tuple(
        _dimension_section(
            questionnaire,
            dimension,
            number,
            score,
            evaluated.answers,
            100.0 * dimension.weight / total_weight,
            tuple(action for action in actions if action.dimension_id == dimension.id),
            level_by_id,
            lang,
        )
        for number, (dimension, score) in enumerate(
            zip(questionnaire.dimensions, assessment.dimensions, strict=True), start=1
        )
    )
    plan = tuple(
        PlanPhase(
            days,
            f"Days {previous + 1}–{days}",
            tuple(action for action in actions if action.timeframe_days == days),
        )
        for previous, days in zip((0, *PLAN_PHASES), PLAN_PHASES, strict=False)
    )
    questionnaire_title = localize(questionnaire.title, lang)
    assessed = response.assessed
    footer = f"{business.name} · {questionnaire.id} {questionnaire.version} · cbectool {__version__}"
    report_text = _visible_text(questionnaire_title, levels, gates, actions, sections)
    return ReportContext(
        business=BusinessInfo(business.name, business.city, business.sector, business.products, business.contact),
        assessed_on=_display_date(assessed.on if assessed else None, today),
        assessor=_assessor(assessed.by if assessed else None),
        generated_on=_format_date(today),
        language=lang,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        questionnaire_title=questionnaire_title,
        tool_version=__version__,
        overall_score=overall.score,
        overall_score_text=f"{overall.score:.0f}/100",
        level=level_by_id[overall.level],
        band_level_name=level_by_id[overall.band_level].name,
        level_capped=bool(overall.capped_by),
        levels=levels,
        gates=gates,
        top_steps=actions[:TOP_STEPS],
        actions=actions,
        dimensions=sections,
        plan=plan,
        glossary=glossary_for(report_text),
        radar_chart=radar_chart_data_uri(
            [ChartAxis(section.number, section.title, section.score) for section in sections]
        ),
        footer=footer,
        warnings=tuple(evaluated.warnings),
    )


def _action_item(action: Action, priority: int, gate_related: bool, titles: dict[str, str], lang: str) -> ActionItem:
    return ActionItem(
        id=action.id,
        priority=priority,
        title=localize(action.title, lang),
        why=localize(action.why, lang),
        first_step=localize(action.first_step, lang),
        where=localize(action.where, lang),
        effort=str(action.effort),
        impact=str(action.impact),
        timeframe_days=int(action.timeframe),
        dimension_id=action.dimension,
        dimension_title=titles[action.dimension],
        gate_related=gate_related,
        sources=tuple(
            SourceInfo(source.title, source.url, source.date, _site(source.url)) for source in action.sources
        ),
    )


def _dimension_section(
    questionnaire: Questionnaire,
    dimension: Dimension,
    number: int,
    score: DimensionScore,
    answers: dict[str, Answer],
    weight_percent: float,
    actions: tuple[ActionItem, ...],
    levels: dict[str, LevelInfo],
    lang: str,
) -> DimensionSection:
    def line(answer_score: AnswerScore) -> AnswerLine:
        question = questionnaire.question(answer_score.question_id)
        assert question is not None
        return AnswerLine(
            question.id,
            localize(question.text, lang),
            _answer_text(question, answers.get(question.id), lang),
            float(answer_score.points),
            float(answer_score.possible),
            float(answer_score.lost),
        )

    not_counted = sum(
        1
        for answer in score.answers
        if answer.status in (AnswerStatus.SKIPPED, AnswerStatus.NOT_APPLICABLE, AnswerStatus.UNANSWERED)
    )
    return DimensionSection(
        id=dimension.id,
        number=number,
        title=localize(dimension.title, lang),
        description=localize(dimension.description, lang),
        weight_percent=round(weight_percent, 1),
        score=score.score,
        score_text="not assessed" if score.score is None else f"{score.score:.0f}/100",
        level_name=None if score.level is None else levels[score.level].name,
        earned=float(score.earned),
        possible=float(score.possible),
        points_lost=float(score.possible - score.earned),
        in_place=tuple(line(answer) for answer in score.in_place),
        gaps=tuple(line(answer) for answer in score.gaps),
        not_counted=not_counted,
        actions=actions,
    )


def _site(url: str) -> str:
    host = urllib.parse.urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _answer_text(question: Question, answer: Answer | None, lang: str) -> str:
    """The owner's answer in words: choice labels, or the number with its unit."""
    if answer is None:
        return "no answer"
    if question.type == QuestionType.NUMBER:
        assert isinstance(answer, float)
        number = f"{answer:g}"
        unit = localize(question.unit, lang)
        return f"{number} {unit}".strip()
    if question.type == QuestionType.TEXT:
        return str(answer)
    values = answer if isinstance(answer, tuple) else (str(answer),)
    labels = []
    for value in values:
        choice = question.choice(value)
        labels.append(localize(choice.label, lang) if choice is not None else value)
    return "; ".join(labels)


def _display_date(value: str | None, today: dt.date) -> str:
    """An ISO date or date-time as '23 November 2026'; anything else as given; today when absent."""
    if not value:
        return _format_date(today)
    try:
        return _format_date(dt.datetime.fromisoformat(value).date())
    except ValueError:
        return value


def _format_date(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _assessor(by: str | None) -> str:
    if not by or by.strip().casefold() == "self":
        return "Self-assessment"
    return by


_SPACE = re.compile(r"\s+")


def _visible_text(
    title: str,
    levels: tuple[LevelInfo, ...],
    gates: tuple[GateInfo, ...],
    actions: tuple[ActionItem, ...],
    sections: tuple[DimensionSection, ...],
) -> str:
    """The questionnaire text the report prints, to pick the glossary terms it uses."""
    parts = [title]
    parts.extend(f"{level.name} {level.meaning}" for level in levels if level.reached)
    parts.extend(gate.reason for gate in gates)
    parts.extend(f"{action.title} {action.why} {action.first_step} {action.where}" for action in actions)
    for section in sections:
        parts.append(f"{section.title} {section.description}")
        parts.extend(f"{line.question} {line.answer}" for line in (*section.in_place, *section.gaps))
    return _SPACE.sub(" ", " ".join(parts))
