"""The review screen of ``cbectool assess`` comes in pages that fit the terminal (issue 15)."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from cbectool import resources
from cbectool.conditions import Answer
from cbectool.interview.flow import REVIEW, Interview, State
from cbectool.interview.review_screen import pack
from cbectool.interview.terminal import review_pages, show_review
from cbectool.questionnaire import Questionnaire, QuestionType

heights = st.lists(st.lists(st.integers(1, 6), min_size=1, max_size=12), min_size=1, max_size=8)


@given(parts=heights, title=st.integers(1, 2), capacity=st.integers(4, 40))
def test_pages_hold_every_answer_once_in_order_within_the_height(
    parts: list[list[int]], title: int, capacity: int
) -> None:
    titles = [title] * len(parts)
    pages = pack(parts, titles, capacity)
    placed = [(part, index) for page in pages for part, index, _ in page]
    assert placed == [(part, index) for part, answers in enumerate(parts) for index in range(len(answers))]
    for page in pages:
        assert page[0][2]  # a page starts with its part's title
        used = sum(parts[part][index] + (titles[part] if titled else 0) for part, index, titled in page)
        assert used <= capacity or len(page) == 1  # only an answer taller than a page overflows it
        for (part, index, titled), before in zip(page[1:], page, strict=False):
            assert titled == (index == 0)  # a title again only where a new part begins
            assert before[0] <= part


def test_a_part_that_fits_on_a_page_is_not_split_and_a_longer_one_continues_under_its_title() -> None:
    assert pack([[2, 2], [2, 2, 2]], [1, 1], capacity=8) == [
        [(0, 0, True), (0, 1, False)],
        [(1, 0, True), (1, 1, False), (1, 2, False)],
    ]
    assert pack([[2, 2, 2]], [1], capacity=6) == [[(0, 0, True), (0, 1, False)], [(0, 2, True)]]


def _long_answers(questionnaire: Questionnaire) -> dict[str, Answer]:
    """Answers that show many questions and make long lines: every choice of a multi-choice question."""
    answers: dict[str, Answer] = {}
    for question in questionnaire.questions():
        if question.type == QuestionType.MULTI:
            answers[question.id] = tuple(choice.value for choice in question.choices if not choice.exclusive)
        elif question.type in (QuestionType.SINGLE, QuestionType.YES_NO):
            answers[question.id] = question.choices[0].value
        elif question.type == QuestionType.NUMBER:
            answers[question.id] = float(question.min or 0) + 1
        else:
            answers[question.id] = "Ayesha Ali, export manager"
    return answers


@pytest.mark.parametrize(("width", "height"), [(100, 40), (80, 24), (120, 60), (60, 30)])
def test_every_page_of_the_bundled_review_fits_the_terminal(width: int, height: int) -> None:
    questionnaire = resources.load(resources.DEFAULT_QUESTIONNAIRE)
    business = {"name": "Ali Sports Works", "city": "Sialkot", "contact": "0300-1234567"}
    interview = Interview(questionnaire, State(business=business, answers=_long_answers(questionnaire)))
    interview.state.position = REVIEW
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, height=height, no_color=True)
    review = review_pages(interview, console)
    everything = 2 * len(interview.review()) + 6 + 2  # two lines an answer, the parts, a rule and a hint
    assert len(review) > 1 and everything > height  # the whole review would not fit
    numbers: list[int] = []
    for page in range(len(review)):
        buffer.seek(0)
        buffer.truncate()
        show_review(interview, review, page, console)
        shown = buffer.getvalue()
        assert shown.count("\n") + 1 <= height  # and the prompt below it
        numbers += [int(number) for number in re.findall(r"^ *!?(\d+)\. ", shown, flags=re.MULTILINE)]
    assert numbers == list(range(1, len(interview.review()) + 1))
