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
from cbectool.i18n import N_, direction, gettext, is_right_to_left, translate
from cbectool.questionnaire import Action, Dimension, Question, Questionnaire, QuestionType
from cbectool.report.chart import ChartAxis, radar_chart_data_uri
from cbectool.report.glossary import GlossaryEntry, glossary_for
from cbectool.report.layout import LATIN, NASTALIQ, kept_with_end
from cbectool.scoring import (
    AnswerScore,
    AnswerStatus,
    DimensionScore,
    Evaluated,
    Moved,
    RecommendedAction,
    format_score,
)
from cbectool.scoring.schedule import PHASES, STEPS_PER_PHASE
from cbectool.text import localize

NOT_ASSESSED = N_("not assessed")
TOP_STEPS = STEPS_PER_PHASE
"""The summary shows the plan's first phase: at most this many steps."""
LATER_LISTED = 3 * STEPS_PER_PHASE
"""The plan names this many of the steps for later, the next ones; the rest it counts (a plan that lists
fifty more steps after the 90 days overwhelms more than it helps, and costs a page)."""
PLAN_PHASES = PHASES
LATER = N_("Later")
MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


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
    min_score_text: str  # "35", as every score is printed (``format_score``)
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
    """One step of the plan, in plan order; ``priority`` is its step number, the same wherever it is printed."""

    id: str
    priority: int  # its step number in the plan: 1 is the first step
    title: str
    why: str
    first_step: str
    where: str
    effort: str  # "low", "medium" or "high"
    impact: str  # "low", "medium" or "high"
    timeframe_days: int  # the action's own time frame in the questionnaire: 30, 60 or 90
    phase: int | None  # where the plan put it: 30, 60 or 90 days; None: later
    phase_title: str  # "Days 1–30", "Days 31–60", "Days 61–90" or "Later"
    after_steps: tuple[int, ...]  # step numbers it needs done first
    later_reason: str | None  # for a later step, in words: "after step 4", "when the first steps are done"
    waits_for_step: int | None  # a later step that waits for another step: that step's number
    dimension_id: str
    dimension_title: str
    gate_related: bool  # lifts a gate that holds the business back: among the first steps
    sources: tuple[SourceInfo, ...]


@dataclass(frozen=True, slots=True)
class GateInfo:
    """A gate that fired: something that holds the business back whatever its score."""

    id: str
    reason: str
    cap_level_name: str
    lowered_level: bool  # True when this gate is why the overall level is lower than the score alone
    action_titles: tuple[str, ...]
    steps: tuple[ActionItem, ...]  # the plan's steps that lift it, in plan order


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
    actions: tuple[ActionItem, ...]  # this area's steps, in plan order
    planned: tuple[ActionItem, ...]  # those in the 30/60/90-day plan (explained in full)
    later: tuple[ActionItem, ...]  # those for later
    later_listed: tuple[ActionItem, ...]  # those of them among the plan's ``later_listed``


@dataclass(frozen=True, slots=True)
class PlanPhase:
    """The steps to finish within ``days`` days (and after the previous phase): at most five."""

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
    language: str  # the language of every text: questionnaire texts and the interface's own words
    direction: str  # "ltr" or "rtl": the document's dir
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_title: str
    tool_version: str
    overall_score: float  # 0-100, cut to one decimal (the JSON's ``overall.score``)
    overall_score_text: str  # "57/100", "99.5/100": ``format_score``, never rounded up
    level: LevelInfo  # after gates
    band_level_name: str  # what the score alone would give
    level_capped: bool  # a gate lowered the level
    levels: tuple[LevelInfo, ...]  # lowest first
    gates: tuple[GateInfo, ...]  # fired gates, in the order of the steps that lift them
    top_steps: tuple[ActionItem, ...]  # the first steps of the plan: its first phase with steps (at most five)
    actions: tuple[ActionItem, ...]  # every step, in plan order
    dimensions: tuple[DimensionSection, ...]
    plan: tuple[PlanPhase, ...]  # 30, 60 and 90 days; empty phases included
    later: tuple[ActionItem, ...]  # steps for after the 90 days, in plan order
    later_listed: tuple[ActionItem, ...]  # the first ``LATER_LISTED`` of them: the plan names these
    glossary: tuple[GlossaryEntry, ...]  # terms that the report's text uses, alphabetical
    glossary_kept_with_end: int  # how many of the last entries are printed in the final block kept whole (layout.py)
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
    numbers = {recommended.id: recommended.priority for recommended in assessment.actions}
    actions = tuple(
        _action_item(library[recommended.id], recommended, numbers, titles, lang) for recommended in assessment.actions
    )
    overall = assessment.overall
    levels = tuple(
        LevelInfo(
            level.id,
            localize(level.name, lang),
            localize(level.meaning, lang),
            level.min_score,
            format_score(level.min_score),
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
            tuple(action for action in actions if action.id in gate.actions),
        )
        for gate in questionnaire.gates
        if gate.id in assessment.gates
    )
    gates = tuple(sorted(gates, key=lambda gate: min((step.priority for step in gate.steps), default=len(actions) + 1)))
    later = tuple(action for action in actions if action.phase is None)
    later_listed = later[:LATER_LISTED]
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
            frozenset(action.id for action in later_listed),
            level_by_id,
            lang,
        )
        for number, (dimension, score) in enumerate(
            zip(questionnaire.dimensions, assessment.dimensions, strict=True), start=1
        )
    )
    plan = tuple(
        PlanPhase(days, _phase_title(days, lang), tuple(action for action in actions if action.phase == days))
        for days in PLAN_PHASES
    )
    questionnaire_title = localize(questionnaire.title, lang)
    assessed = response.assessed
    footer = f"{business.name} · {questionnaire.id} {questionnaire.version} · cbectool {__version__}"
    printed = frozenset(action.id for action in actions if action.phase is not None or action in later_listed)
    glossary = glossary_for(_visible_text(evaluated, printed), lang)
    return ReportContext(
        business=BusinessInfo(business.name, business.city, business.sector, business.products, business.contact),
        assessed_on=_display_date(assessed.on if assessed else None, today, lang),
        assessor=_assessor(assessed.by if assessed else None, lang),
        generated_on=_format_date(today, lang),
        language=lang,
        direction=direction(lang),
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        questionnaire_title=questionnaire_title,
        tool_version=__version__,
        overall_score=overall.score,
        overall_score_text=f"{format_score(overall.score)}/100",
        level=level_by_id[overall.level],
        band_level_name=level_by_id[overall.band_level].name,
        level_capped=bool(overall.capped_by),
        levels=levels,
        gates=gates,
        top_steps=next((phase.actions for phase in plan if phase.actions), ())[:TOP_STEPS],
        actions=actions,
        dimensions=sections,
        plan=plan,
        later=later,
        later_listed=later_listed,
        glossary=glossary,
        glossary_kept_with_end=kept_with_end(glossary, NASTALIQ if is_right_to_left(lang) else LATIN),
        radar_chart=radar_chart_data_uri(
            [ChartAxis(section.number, section.title, section.score) for section in sections],
            mirrored=is_right_to_left(lang),
            missing=gettext(N_("n/a"), lang),
        ),
        footer=footer,
        warnings=tuple(evaluated.warnings),
    )


def _action_item(
    action: Action, step: RecommendedAction, numbers: dict[str, int], titles: dict[str, str], lang: str
) -> ActionItem:
    return ActionItem(
        id=action.id,
        priority=step.priority,
        title=localize(action.title, lang),
        why=localize(action.why, lang),
        first_step=localize(action.first_step, lang),
        where=localize(action.where, lang),
        effort=str(action.effort),
        impact=str(action.impact),
        timeframe_days=int(action.timeframe),
        phase=step.phase,
        phase_title=gettext(LATER, lang) if step.phase is None else _phase_title(step.phase, lang),
        after_steps=tuple(sorted(numbers[before] for before in step.after if before in numbers)),
        later_reason=_later_reason(step, numbers, lang),
        waits_for_step=_waits_for_step(step, numbers),
        dimension_id=action.dimension,
        dimension_title=titles[action.dimension],
        gate_related=step.gate_related,
        sources=tuple(
            SourceInfo(source.title, source.url, source.date, _site(source.url)) for source in action.sources
        ),
    )


def _phase_title(days: int, lang: str) -> str:
    previous = max((phase for phase in PLAN_PHASES if phase < days), default=0)
    return translate(N_("Days {first}–{last}"), lang, first=previous + 1, last=days)


def _later_reason(step: RecommendedAction, numbers: dict[str, int], lang: str) -> str | None:
    """Why a step waits until after the 90 days, in words an owner reads without the JSON's codes."""
    if step.phase is not None:
        return None
    waits_for = _waits_for_step(step, numbers)
    if waits_for is not None:
        return translate(N_("after step {number}"), lang, number=waits_for)
    return gettext(N_("when the first steps are done"), lang)


def _waits_for_step(step: RecommendedAction, numbers: dict[str, int]) -> int | None:
    if step.phase is None and step.moved == Moved.AFTER and step.waits_for in numbers:
        return numbers[step.waits_for]
    return None


def _dimension_section(
    questionnaire: Questionnaire,
    dimension: Dimension,
    number: int,
    score: DimensionScore,
    answers: dict[str, Answer],
    weight_percent: float,
    actions: tuple[ActionItem, ...],
    listed: frozenset[str],
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
        score_text=gettext(NOT_ASSESSED, lang) if score.score is None else f"{format_score(score.score)}/100",
        level_name=None if score.level is None else levels[score.level].name,
        earned=float(score.earned),
        possible=float(score.possible),
        points_lost=float(score.possible - score.earned),
        in_place=tuple(line(answer) for answer in score.in_place),
        gaps=tuple(line(answer) for answer in score.gaps),
        not_counted=not_counted,
        actions=actions,
        planned=tuple(action for action in actions if action.phase is not None),
        later=tuple(action for action in actions if action.phase is None),
        later_listed=tuple(action for action in actions if action.id in listed),
    )


def _site(url: str) -> str:
    host = urllib.parse.urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _answer_text(question: Question, answer: Answer | None, lang: str) -> str:
    """The owner's answer in words: choice labels, or the number with its unit."""
    if answer is None:
        return gettext(N_("no answer"), lang)
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
    return gettext(N_("; "), lang).join(labels)


def _display_date(value: str | None, today: dt.date, lang: str) -> str:
    """An ISO date or date-time as '23 November 2026'; anything else as given; today when absent."""
    if not value:
        return _format_date(today, lang)
    try:
        return _format_date(dt.datetime.fromisoformat(value).date(), lang)
    except ValueError:
        return value


def _format_date(day: dt.date, lang: str) -> str:
    """'23 November 2026', the month in ``lang`` (not the computer's locale): day, month, year in every language."""
    month = gettext(MONTHS[day.month - 1], lang)
    return translate(N_("{day} {month} {year}"), lang, day=day.day, month=month, year=day.year)


def _assessor(by: str | None, lang: str) -> str:
    if not by or by.strip().casefold() == "self":
        return gettext(N_("Self-assessment"), lang)
    return by


_SPACE = re.compile(r"\s+")


def _visible_text(evaluated: Evaluated, printed: frozenset[str]) -> str:
    """The questionnaire text the report prints, in English, to pick the glossary terms it uses.

    In English whatever the report's language: the glossary's terms are found by their English
    words, so a report explains the same terms in every language.
    """
    questionnaire, assessment = evaluated.questionnaire, evaluated.assessment
    english = "en"
    parts = [localize(questionnaire.title, english)]
    level = questionnaire.level(assessment.overall.level)
    parts.append(f"{localize(level.name, english)} {localize(level.meaning, english)}")
    parts.extend(localize(gate.reason, english) for gate in questionnaire.gates if gate.id in assessment.gates)
    library = {action.id: action for action in questionnaire.actions}
    for step in assessment.actions:
        if step.id not in printed:
            continue
        action = library[step.id]
        texts = [action.title] if step.phase is None else [action.title, action.why, action.first_step, action.where]
        parts.append(" ".join(localize(text, english) for text in texts))  # a later step prints only its title
    for dimension, score in zip(questionnaire.dimensions, assessment.dimensions, strict=True):
        parts.append(f"{localize(dimension.title, english)} {localize(dimension.description, english)}")
        for answer in (*score.in_place, *score.gaps):
            question = questionnaire.question(answer.question_id)
            assert question is not None
            given = _answer_text(question, evaluated.answers.get(question.id), english)
            parts.append(f"{localize(question.text, english)} {given}")
    return _SPACE.sub(" ", " ".join(parts))
