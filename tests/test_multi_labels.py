"""Labels with commas: every label, the sheet's own separator and the values round-trip, and the drop-downs of
``cbectool template`` offer what a person reads."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from cbectool import resources
from cbectool.cli import app
from cbectool.cohort.columns import MULTI_SEPARATOR, allowed_answers, layout_for
from cbectool.cohort.template import write_template
from cbectool.interview.flow import Interview, Outcome, State
from cbectool.questionnaire import CHOICE_TYPES, Question, Questionnaire, QuestionType
from cbectool.scoring import choice_inputs, parse_answer, split_choices
from cbectool.text import localize

BUNDLED = resources.load(None)
MULTI = [question for question in BUNDLED.questions() if question.type == QuestionType.MULTI]
CHOICE_QUESTIONS = [question for question in BUNDLED.questions() if question.type in CHOICE_TYPES]
SEPARATORS = [MULTI_SEPARATOR, ", ", ",", ";", " | ", "\n", " ; ", "، "]  # the last: Urdu's comma
LANGUAGES = BUNDLED.languages
runner = CliRunner()


def label(choice_label: str | dict[str, str], lang: str = "en") -> str:
    return localize(choice_label, lang)


def test_the_bundled_questionnaire_has_labels_with_commas() -> None:
    """The case this file is about is real: without it the tests below would prove little."""
    assert any("," in label(choice.label) for question in MULTI for choice in question.choices)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("question", CHOICE_QUESTIONS, ids=lambda question: question.id)
def test_every_label_alone_reads_back_as_its_choice(question: Question, lang: str) -> None:
    """Exhaustive over the bundled questionnaire, in every language it declares, in any case and spacing."""
    for choice in question.choices:
        expected = (choice.value,) if question.type == QuestionType.MULTI else choice.value
        text = label(choice.label, lang)
        for written in (text, text.upper(), f"  {text}  ", text.replace(", ", " ,  ")):
            assert parse_answer(question, written) == expected


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("question", MULTI, ids=lambda question: question.id)
def test_every_pair_of_labels_reads_back_with_every_separator(question: Question, lang: str) -> None:
    """Exhaustive: each pair of combinable choices, both orders, each separator people use, each language."""
    combinable = [choice for choice in question.choices if not choice.exclusive]
    for first, second in itertools.permutations(combinable, 2):
        expected = tuple(choice.value for choice in question.choices if choice in (first, second))
        for separator in SEPARATORS:
            written = separator.join([label(first.label, lang), label(second.label, lang)])
            assert parse_answer(question, written) == expected


@st.composite
def multi_answers(draw: st.DrawFn) -> tuple[Question, str, tuple[str, ...]]:
    """A multi-choice question, a cell that lists some of its choices (labels, values, mixed, any order, any of
    the separators), and the values it means."""
    question = draw(st.sampled_from(MULTI))
    combinable = [choice for choice in question.choices if not choice.exclusive]
    exclusive = [choice for choice in question.choices if choice.exclusive]
    if exclusive and draw(st.booleans()):
        chosen = [draw(st.sampled_from(exclusive))]
    else:
        chosen = draw(st.lists(st.sampled_from(combinable), min_size=1, unique=True))
    words = [label(choice.label) if draw(st.booleans()) else choice.value for choice in chosen]
    words = [word.upper() if draw(st.booleans()) else word for word in words]
    separators = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    cell = "".join(word + separator for word, separator in zip(words, separators, strict=True))
    cell = cell[: -len(separators[-1])] if draw(st.booleans()) else cell  # a trailing separator is fine too
    expected = tuple(choice.value for choice in question.choices if choice in chosen)
    return question, cell, expected


@settings(deadline=None)
@given(multi_answers())
def test_any_list_of_labels_and_values_reads_back(case: tuple[Question, str, tuple[str, ...]]) -> None:
    question, cell, expected = case
    assert parse_answer(question, cell) == expected


@settings(deadline=None)
@given(multi_answers(), st.text(alphabet="xyzJazCsh- ", min_size=1, max_size=12).filter(str.strip))
def test_a_word_that_is_no_choice_is_named_alone(case: tuple[Question, str, tuple[str, ...]], stranger: str) -> None:
    question, cell, _ = case
    inputs = choice_inputs(question)
    if " ".join(stranger.split()).casefold() in inputs or all(word.casefold() in inputs for word in stranger.split()):
        return
    found = split_choices(f"{cell}; {stranger}", inputs)
    assert found == " ".join(stranger.split())


def test_a_cell_written_by_the_template_separator_scores_through_the_sheet(tmp_path: Path) -> None:
    """The whole way: labels with commas joined by the template's separator, in a sheet, through batch."""
    question = next(q for q in MULTI if any("," in label(choice.label) for choice in q.choices))
    combinable = [choice for choice in question.choices if not choice.exclusive]
    cell = MULTI_SEPARATOR.join(label(choice.label) for choice in combinable)
    sheet = tmp_path / "cohort.csv"
    sheet.write_text(f'business_name,{question.id}\nOne,"{cell}"\n', encoding="utf-8")
    result = runner.invoke(app, ["batch", str(sheet), "--out", str(tmp_path / "out"), "--no-summary", "--no-xlsx"])
    errors = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8-sig")
    assert question.id not in errors, errors  # other questions are blank (missing answers), this one is not
    assert result.exit_code == 3


def shown_at_start(question: Question) -> bool:
    interview = Interview(BUNDLED, State(business={"name": "X"}, position=question.id))
    return interview.state.position == question.id


def test_the_interview_reads_a_label_with_a_comma_typed_or_mixed_with_numbers() -> None:
    question = next(q for q in MULTI if shown_at_start(q) and any("," in label(choice.label) for choice in q.choices))
    number, with_comma = next((n, c) for n, c in enumerate(question.choices, start=1) if "," in label(c.label))
    first = next(c for c in question.choices if c is not with_comma and not c.exclusive)
    expected = tuple(choice.value for choice in question.choices if choice in (first, with_comma))
    for typed in (
        f"{label(first.label)}, {label(with_comma.label)}",
        f"{question.choices.index(first) + 1}, {label(with_comma.label)}",
        f"{question.choices.index(first) + 1}, {number}",
    ):
        interview = Interview(BUNDLED, State(business={"name": "X"}, position=question.id))
        assert interview.submit(typed).outcome == Outcome.ANSWERED, typed
        assert interview.state.answers[question.id] == expected


# Drop-downs -------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("question", CHOICE_QUESTIONS, ids=lambda question: question.id)
def test_drop_downs_offer_labels_that_read_back(question: Question, lang: str) -> None:
    offered = allowed_answers(question, lang)
    assert offered == [" ".join(label(choice.label, lang).split()) for choice in question.choices]
    labels = {label(choice.label, lang) for choice in question.choices}
    assert not ({choice.value for choice in question.choices} - labels).intersection(offered)


def test_a_label_shared_by_two_choices_falls_back_to_values_for_those(starter: Questionnaire) -> None:
    question = starter.question("plat_presence")
    assert question is not None
    choices = list(question.choices)
    choices[1] = choices[1].model_copy(update={"label": localize(choices[0].label)})  # two choices read alike
    clash = question.model_copy(update={"choices": tuple(choices)})
    offered = allowed_answers(clash)
    assert offered[0] == localize(choices[0].label)
    assert offered[1] == choices[1].value  # would read back as the first choice
    assert offered[2:] == [localize(choice.label) for choice in choices[2:]]


def test_the_xlsx_template_lists_labels_and_a_filled_sheet_of_them_scores(tmp_path: Path) -> None:
    path = tmp_path / "cohort.xlsx"
    write_template(layout_for(BUNDLED), path)
    workbook = load_workbook(path)
    lists = workbook["Lists"]
    offered = {
        column[0].value: [cell.value for cell in column[1:] if cell.value is not None] for column in lists.iter_cols()
    }
    for question in CHOICE_QUESTIONS:
        assert offered[question.id] == [" ".join(label(choice.label).split()) for choice in question.choices]
    instructions = " ".join(str(row[0] or "") for row in workbook["Instructions"].iter_rows(values_only=True))
    assert "other_intl" not in instructions and "own_site" not in instructions
    assert "fcy_account" not in instructions
    example = instructions.split("for example: ", 1)[1].split(". The drop-down", 1)[0]
    assert "," in example  # the example shows that a label's own comma is fine ...
    read_back = [split_choices(example, choice_inputs(question)) for question in MULTI]
    assert any(isinstance(values, list) and len(values) == 2 for values in read_back)  # ... and reads back

    # a trainer picks from the drop-downs (and types a second answer after a ';' in multi-choice cells)
    sheet = workbook["Cohort"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=3, column=1, value="Picked From Lists")
    for question in CHOICE_QUESTIONS:
        items = offered[question.id]
        combinable = [item for item, choice in zip(items, question.choices, strict=True) if not choice.exclusive]
        cell = MULTI_SEPARATOR.join(combinable[:2]) if question.type == QuestionType.MULTI else items[0]
        sheet.cell(row=3, column=header.index(question.id) + 1, value=cell)
    for question in BUNDLED.questions():
        if question.type == QuestionType.NUMBER:
            sheet.cell(row=3, column=header.index(question.id) + 1, value=question.min or 0)
    workbook.save(path)
    result = runner.invoke(app, ["batch", str(path), "--out", str(tmp_path / "out"), "--no-summary", "--no-xlsx"])
    errors = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8-sig").splitlines()
    assert result.exit_code == 0, errors
    assert "Scored 1 of 1 businesses." in result.stdout
