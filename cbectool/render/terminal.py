"""Terminal views of questionnaires and assessments, built with rich."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from cbectool.i18n import gettext, ngettext, translate
from cbectool.questionnaire import CHOICE_TYPES, Questionnaire
from cbectool.scoring import Assessment, format_score
from cbectool.text import localize

BAR_WIDTH = 20


def score_bar(score: float | None, width: int = BAR_WIDTH) -> str:
    """``█████░░░░░`` for a 0-100 score; readable without colour."""
    if score is None:
        return "n/a".ljust(width)
    filled = round(width * max(0.0, min(score, 100.0)) / 100)
    return "█" * filled + "░" * (width - filled)


def questionnaire_summary(questionnaire: Questionnaire, lang: str = "en") -> dict[str, Any]:
    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "title": localize(questionnaire.title, lang),
        "dimensions": len(questionnaire.dimensions),
        "questions": len(questionnaire.questions()),
        "actions": len(questionnaire.actions),
    }


LIST_TITLE_WIDTH = 30
"""Below this width for the title column, ``questionnaire list`` prints a list instead of a table."""


def print_questionnaire_list(console: Console, questionnaires: list[Questionnaire], lang: str = "en") -> None:
    """The bundled questionnaires. Ids are never cut short: an id is what a user copies into ``-q``."""
    summaries = [questionnaire_summary(questionnaire, lang) for questionnaire in questionnaires]
    sizes = [
        f"{summary['dimensions']} dimensions, {summary['questions']} questions, {summary['actions']} actions"
        for summary in summaries
    ]
    longest_id = max((len(summary["id"]) for summary in summaries), default=2)
    if console.width < longest_id + len("version") + 8 + LIST_TITLE_WIDTH:  # too narrow a terminal for a table
        console.print(Text("Bundled questionnaires", "bold"))
        for summary, size in zip(summaries, sizes, strict=True):
            console.print()
            console.print(Text.assemble((summary["id"], "bold"), f"  version {summary['version']}"), overflow="fold")
            console.print(Padding(Text.assemble(summary["title"], "\n", (size, "dim")), (0, 0, 0, 2)))
        return
    table = Table(title="Bundled questionnaires", box=box.SIMPLE_HEAD)
    table.add_column("id", no_wrap=True, min_width=longest_id)
    table.add_column("version", no_wrap=True)
    table.add_column("title")
    for summary, size in zip(summaries, sizes, strict=True):
        table.add_row(summary["id"], summary["version"], Text.assemble(summary["title"], "\n", (size, "dim")))
    console.print(table)


def print_questionnaire(console: Console, questionnaire: Questionnaire, lang: str = "en") -> None:
    console.print(Text(f"{localize(questionnaire.title, lang)}  ({questionnaire.id} {questionnaire.version})", "bold"))
    if questionnaire.description:
        console.print(localize(questionnaire.description, lang))
    total_weight = sum(dimension.weight for dimension in questionnaire.dimensions)
    for dimension in questionnaire.dimensions:
        share = 100 * dimension.weight / total_weight
        console.print()
        console.print(Text(f"{localize(dimension.title, lang)}  [{dimension.id}, {share:.0f}% of the total]", "bold"))
        for question in dimension.questions:
            condition = "  (asked only in some cases)" if question.show_if else ""
            console.print(f"  {question.id}: {localize(question.text, lang)}  <{question.type}>{condition}")
            if question.type in CHOICE_TYPES:
                for choice in question.choices:
                    note = " (not applicable)" if choice.not_applicable else ""
                    console.print(f"      - {choice.value}: {localize(choice.label, lang)} = {choice.points:g}{note}")
            for step in question.scoring:
                console.print(f"      - from {step.at_least:g}: {step.points:g} points")
    console.print()
    console.print(Text("Levels", "bold"))
    for level in questionnaire.levels:
        console.print(f"  from {level.min_score:g}: {localize(level.name, lang)} ({level.id})")
    if questionnaire.gates:
        console.print()
        console.print(Text("Gates (cap the overall level whatever the score)", "bold"))
        for gate in questionnaire.gates:
            console.print(f"  {gate.id}: at most {gate.cap_level}. {localize(gate.reason, lang)}")
    console.print()
    console.print(f"{len(questionnaire.actions)} actions in the library.")


def print_assessment(
    console: Console, questionnaire: Questionnaire, assessment: Assessment, *, top: int = 5, lang: str = "en"
) -> None:
    """The score summary: a table of dimensions, the gates that hold the business back, the top actions.

    Owner-facing (``assess`` ends with it): its words come from the interface's catalogue in ``lang``."""
    overall = assessment.overall
    level = questionnaire.level(overall.level)
    console.print(
        Text.assemble(
            (gettext("Overall readiness: ", lang), "bold"),
            (f"{format_score(overall.score)}/100", "bold"),
            "  ",
            (localize(level.name, lang), "bold"),
        )
    )
    console.print(localize(level.meaning, lang))
    table = Table(show_lines=False)
    table.add_column(gettext("Dimension", lang))
    table.add_column(gettext("Score", lang), justify="right")
    table.add_column(gettext("Level", lang))
    table.add_column("", no_wrap=True)
    titles = {dimension.id: localize(dimension.title, lang) for dimension in questionnaire.dimensions}
    for dimension in assessment.dimensions:
        score = gettext("n/a", lang) if dimension.score is None else format_score(dimension.score)
        level_name = (
            gettext("not assessed", lang)
            if dimension.level is None
            else localize(questionnaire.level(dimension.level).name, lang)
        )
        table.add_row(titles[dimension.id], score, level_name, score_bar(dimension.score))
    console.print(table)
    gates = [gate for gate in questionnaire.gates if gate.id in assessment.gates]
    if gates:
        console.print(Text(gettext("What holds you back", lang), "bold"))
        for gate in gates:
            console.print(f"  ! {localize(gate.reason, lang)}")
    if assessment.actions:
        count = min(top, len(assessment.actions))
        console.print(
            Text(ngettext("Your next step", "Your next {count} steps", count, lang).format(count=count), "bold")
        )
        actions = {action.id: action for action in questionnaire.actions}
        for recommended in assessment.actions[:top]:
            action = actions[recommended.id]
            where = translate("{area}; {days} days", lang, area=titles[action.dimension], days=action.timeframe)
            console.print(f"  {recommended.priority}. {localize(action.title, lang)}  [{where}]")
            console.print(translate("     First step: {text}", lang, text=localize(action.first_step, lang)))
