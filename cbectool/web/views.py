"""What each page shows, taken from the interview flow and the assessment; no HTTP here.

The pages show exactly what ``cbectool assess`` asks: ``Interview.prompt()`` and
``Interview.review()``, in the participant's language. Only the way of answering
differs: buttons and boxes that send choice values (``Interview.answer``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cbectool.conditions import Answer
from cbectool.interview.flow import Interview, Prompt
from cbectool.questionnaire import Question, QuestionType
from cbectool.text import localize
from cbectool.web.engine import MAX_TEXT_ANSWER, format_score
from cbectool.web.messages import isolated, text

TOP_ACTIONS = 3
WEAKEST_AREAS = 2


@dataclass(frozen=True)
class StepView:
    prompt: Prompt
    kind: str  # "choice", "choices", "number" or "text"
    selected: frozenset[str]  # values chosen before (choice questions)
    value: str  # the text or number given before
    hints: tuple[str, ...]
    unit: str
    max_length: int
    first: bool


def step_view(interview: Interview, submitted: list[str] | None = None) -> StepView:
    """The current step; ``submitted`` keeps what a refused form sent, so nothing has to be typed again."""
    step = interview.current
    assert step is not None, "on the review screen"
    prompt = interview.prompt()
    lang = interview.lang
    question = step.question
    shown = interview.shown_steps()
    first = bool(shown) and shown[0].key == step.key
    if question is None:
        assert step.profile is not None
        given = interview.state.business.get(step.profile.key, "")
        value = submitted[0] if submitted else given
        hints = () if step.required else (text("may_skip", lang),)
        return StepView(prompt, "text", frozenset(), value, hints, "", step.profile.max_length, first)
    answer = interview.state.answers.get(question.id)
    kind = _kind(question)
    if submitted is not None:
        selected = frozenset(submitted)
        value = submitted[0] if submitted else ""
    else:
        selected = frozenset(_values(answer))
        value = _plain(answer)
    return StepView(
        prompt,
        kind,
        selected,
        value,
        _hints(question, kind, lang),
        localize(question.unit, lang),
        MAX_TEXT_ANSWER,
        first,
    )


def _kind(question: Question) -> str:
    if question.type == QuestionType.MULTI:
        return "choices"
    if question.type in (QuestionType.SINGLE, QuestionType.YES_NO):
        return "choice"
    if question.type == QuestionType.NUMBER:
        return "number"
    return "text"


def _values(answer: Answer | None) -> list[str]:
    if isinstance(answer, tuple):
        return list(answer)
    if isinstance(answer, str):
        return [answer]
    return []


def _plain(answer: Answer | None) -> str:
    if isinstance(answer, float):
        return str(int(answer)) if answer.is_integer() else f"{answer:g}"
    if isinstance(answer, str):
        return answer
    return ""


def _hints(question: Question, kind: str, lang: str) -> tuple[str, ...]:
    hints = []
    if kind == "choice":
        hints.append(text("choose_one", lang))
    elif kind == "choices":
        hints.append(text("choose_all", lang))
    elif kind == "number":
        hints.append(number_hint(question, lang))
    if not question.required:
        hints.append(text("may_skip", lang))
    return tuple(hints)


def number_hint(question: Question, lang: str) -> str:
    low, high = question.min, question.max
    if low is not None and high is not None:
        return text("number_both", lang, low=_number(low), high=_number(high))
    if low is not None:
        return text("number_min", lang, low=_number(low))
    if high is not None:
        return text("number_max", lang, high=_number(high))
    return text("number_any", lang)


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def refusal(interview: Interview, sent: list[str]) -> str:
    """Why a form's answer was refused, in the participant's language (the flow's own words are English)."""
    step = interview.current
    lang = interview.lang
    assert step is not None
    if not [item for item in sent if item.strip()]:
        return text("needs_answer", lang)
    question = step.question
    if question is None:
        assert step.profile is not None
        return text("invalid_long", lang, limit=step.profile.max_length)
    if question.type == QuestionType.NUMBER:
        return number_hint(question, lang)
    if question.type == QuestionType.TEXT:
        return text("invalid_long", lang, limit=MAX_TEXT_ANSWER)
    exclusive = [
        choice for choice in question.choices if choice.exclusive and choice.value in sent and len(set(sent)) > 1
    ]
    if exclusive:
        return isolated("invalid_exclusive", lang, label=interview.display(question, exclusive[0].value))
    return text("invalid_choice", lang)


@dataclass(frozen=True)
class ReviewRow:
    key: str
    text: str
    answer: str  # as the owner reads it; "" for no answer
    missing: bool


@dataclass(frozen=True)
class ReviewSection:
    title: str
    rows: tuple[ReviewRow, ...]


def review_view(interview: Interview) -> tuple[ReviewSection, ...]:
    """``Interview.review()`` by section; an unanswered step shows the page's own "(no answer)"."""
    sections: list[ReviewSection] = []
    for item in interview.review():
        answered = interview.is_answered(interview.step_at(item.key))
        row = ReviewRow(item.key, item.text, item.answer if answered else "", item.missing)
        if not sections or sections[-1].title != item.section_title:
            sections.append(ReviewSection(item.section_title, ()))
        sections[-1] = ReviewSection(item.section_title, (*sections[-1].rows, row))
    return tuple(sections)


def result_view(summary: dict[str, Any]) -> dict[str, Any]:
    """What the result page shows from ``cbectool score --format json``: level, what holds back, first steps."""
    overall = summary["overall"]
    gates = [gate["reason"] for gate in summary["gates"] if gate["capped"]]
    scored = [dimension for dimension in summary["dimensions"] if dimension["score"] is not None]
    weakest = sorted(scored, key=lambda dimension: dimension["score"])[:WEAKEST_AREAS]
    return {
        "level": overall["level_name"],
        "score": format_score(overall["score"]),
        "gates": gates,
        "weakest": [{"title": item["title"], "score": format_score(item["score"])} for item in weakest],
        "actions": summary["actions"][:TOP_ACTIONS],
    }
