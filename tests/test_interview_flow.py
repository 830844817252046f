"""The interview flow and its drafts, without a terminal: order, conditions, back, help, review, files."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from cbectool import __version__
from cbectool.errors import CbecError, ExitCode
from cbectool.interview import draft as drafts
from cbectool.interview.draft import Draft, DraftError, load_draft
from cbectool.interview.flow import PROFILE_FIELDS, REVIEW, Interview, Outcome, State
from cbectool.interview.terminal import AssessOptions, run
from cbectool.questionnaire import Questionnaire
from cbectool.response import Business, Response, answers_to_json
from cbectool.scoring import evaluate, validate_answers
from cbectool.text import localize

PROFILE = ["Ali Sports Works", "Sialkot", "Sports goods", "Footballs", "0300-1234567"]


def answer_all(interview: Interview, lines: Iterable[str]) -> None:
    for line in lines:
        feedback = interview.submit(line)
        assert feedback.outcome == Outcome.ANSWERED, (line, feedback)


def at(interview: Interview) -> str:
    return interview.state.position


def started(starter: Questionnaire) -> Interview:
    interview = Interview(starter)
    answer_all(interview, PROFILE)
    return interview


# A full run on the starter questionnaire that gives the ``starter_answers`` fixture, by numbers.
BY_NUMBER = ["2", "1", "2", "1", "1", "2", "3", "1", "6", "2", "Ayesha"]


def test_profile_first_then_every_question_in_order(starter: Questionnaire) -> None:
    interview = Interview(starter)
    keys = [step.key for step in interview.steps]
    assert keys == [f"business.{item.key}" for item in PROFILE_FIELDS] + [q.id for q in starter.questions()]
    assert [item.key for item in PROFILE_FIELDS] == ["name", "city", "sector", "products", "contact"]
    assert at(interview) == "business.name"
    prompt = interview.prompt()
    assert (prompt.kind, prompt.required, prompt.progress.section, prompt.progress.sections) == (
        "profile",
        True,
        1,
        len(starter.dimensions) + 1,
    )


def test_the_business_name_is_required_and_other_profile_fields_can_be_skipped(starter: Questionnaire) -> None:
    interview = Interview(starter)
    feedback = interview.submit("   ")
    assert feedback.outcome == Outcome.INVALID
    assert feedback.text.startswith("This question needs an answer. Type your answer.")
    answer_all(interview, ["  Ali   Sports  ", "", "", "", ""])
    assert interview.state.business == {"name": "Ali Sports"}
    assert at(interview) == starter.questions()[0].id


def test_profile_limits_are_those_of_a_response_file(starter: Questionnaire) -> None:
    """One rule for the profile: the interview refuses exactly what a response file's ``business`` refuses."""
    limit = next(meta.max_length for meta in Business.model_fields["name"].metadata if hasattr(meta, "max_length"))
    interview = Interview(starter)
    refused = interview.submit("x" * (limit + 1))
    assert refused.outcome == Outcome.INVALID
    assert str(limit) in refused.text
    assert interview.submit("x" * limit).outcome == Outcome.ANSWERED
    assert Business.model_validate(interview.state.business).name == "x" * limit


def test_full_run_by_numbers_gives_the_same_answers_as_the_response_file(
    starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    interview = started(starter)
    answer_all(interview, BY_NUMBER)
    assert interview.in_review
    assert interview.submit_review("").outcome == Outcome.FINISH
    response = interview.response(on="2026-11-23")
    assert response.model_dump(exclude_none=True) == {
        "questionnaire": {"id": starter.id, "version": starter.version},
        "business": dict(zip(("name", "city", "sector", "products", "contact"), PROFILE, strict=True)),
        "answers": answers_to_json(validate_answers(starter, starter_answers)),
        "assessed": {"on": "2026-11-23", "by": "self"},
        "tool_version": __version__,
        "language": "en",  # the language the owner answered in travels with the answers
    }
    assert evaluate(response, starter).answers == validate_answers(starter, starter_answers)


def test_a_condition_skips_a_question_that_does_not_apply(starter: Questionnaire) -> None:
    interview = started(starter)
    answer_all(interview, ["1", "yes", "no"])
    assert at(interview) == "log_channel"
    interview.submit("Pakistan Post")  # not a courier: the courier question is skipped
    assert at(interview) == "log_hs_code"
    assert "log_courier_registered" not in [step.key for step in interview.shown_steps()]
    answer_all(interview, ["no", "2", "Nowhere yet"])  # sells nowhere: reply time and photos are skipped
    assert at(interview) == "plat_contact_name"


def test_back_goes_to_the_previous_shown_step_and_keeps_the_answer(starter: Questionnaire) -> None:
    interview = started(starter)
    answer_all(interview, ["1", "yes", "no", "post"])
    assert at(interview) == "log_hs_code"
    assert interview.submit("b").outcome == Outcome.BACK
    assert at(interview) == "log_channel"  # not the skipped courier question
    assert interview.prompt().current == "Pakistan Post"
    assert interview.submit("").outcome == Outcome.ANSWERED  # Enter keeps the answer
    assert interview.state.answers["log_channel"] == "post"
    assert at(interview) == "log_hs_code"


def test_back_at_the_first_step_says_so(starter: Questionnaire) -> None:
    interview = Interview(starter)
    feedback = interview.submit("b")
    assert (feedback.outcome, feedback.text) == (
        Outcome.FIRST,
        "This is the first question; there is nothing before it.",
    )
    assert at(interview) == "business.name"


def test_help_shows_why_we_ask_and_stays(starter: Questionnaire) -> None:
    interview = started(starter)
    question = starter.questions()[0]
    feedback = interview.submit("?")
    assert (feedback.outcome, feedback.text) == (Outcome.HELP, localize(question.help))
    assert at(interview) == question.id


@pytest.mark.parametrize(
    ("question_id", "typed", "expected"),
    [
        ("pay_receive_channel", "7", "There is no choice 7. Type one or more numbers from 1 to 5, like 1,3"),
        (
            "pay_receive_channel",
            "1,5",
            "Choice 5 (None of these yet) cannot be chosen together with other answers. "
            "Type one or more numbers from 1 to 5, like 1,3, or the words of the choices.",
        ),
        (
            "pay_receive_channel",
            "PayPal",
            "'PayPal' is not one of the choices. "
            "Type one or more numbers from 1 to 5, like 1,3, or the words of the choices.",
        ),
        (
            "pay_receive_channel",
            "2, JazzCash",
            "'JazzCash' is not one of the choices. Type one or more numbers from 1 to 5",
        ),
        ("pay_invoice_fcy", "3", "There is no choice 3. Type one number from 1 to 2, or the words of a choice."),
        (
            "pay_invoice_fcy",
            "maybe",
            "'maybe' is not one of the choices. Type one number from 1 to 2, or the words of a choice.",
        ),
        ("pay_invoice_fcy", "1,2", "Choose one answer only. Type one number from 1 to 2, or the words of a choice."),
        ("log_dispatch_days", "soon", "'soon' is not a number. Type a number (days), from 0 to 365."),
        ("log_dispatch_days", "400", "The largest answer is 365. Type a number (days), from 0 to 365."),
        ("log_dispatch_days", "-1", "The smallest answer is 0. Type a number (days), from 0 to 365."),
        ("log_dispatch_days", "", "This question needs an answer. Type a number (days), from 0 to 365."),
    ],
)
def test_an_invalid_answer_is_refused_with_what_is_accepted(
    starter: Questionnaire, question_id: str, typed: str, expected: str
) -> None:
    interview = Interview(starter, State(business={"name": "X"}, position=question_id))
    feedback = interview.submit(typed)
    assert feedback.outcome == Outcome.INVALID
    assert feedback.text.startswith(expected)
    assert feedback.text.endswith("Type ? for help, b to go back.")
    assert at(interview) == question_id
    assert question_id not in interview.state.answers


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,3", ("bank_remittance", "payoneer")),
        ("3 1", ("bank_remittance", "payoneer")),
        ("1; 3", ("bank_remittance", "payoneer")),
        ("Payoneer or a similar payout service", ("payoneer",)),
        ("2, alibaba.com trade assurance", ("fcy_account", "trade_assurance")),
        ("payoneer bank_remittance", ("bank_remittance", "payoneer")),
        ("5", ("none",)),
    ],
)
def test_multi_choice_takes_numbers_labels_and_values(
    starter: Questionnaire, typed: str, expected: tuple[str, ...]
) -> None:
    interview = Interview(starter, State(business={"name": "X"}, position="pay_receive_channel"))
    assert interview.submit(typed).outcome == Outcome.ANSWERED
    assert interview.state.answers["pay_receive_channel"] == expected


@pytest.mark.parametrize(("typed", "expected"), [("3", 3.0), (" 12 ", 12.0), ("1.5", 1.5), ("0", 0.0)])
def test_number_answers(starter: Questionnaire, typed: str, expected: float) -> None:
    interview = Interview(starter, State(business={"name": "X"}, position="log_dispatch_days"))
    assert interview.submit(typed).outcome == Outcome.ANSWERED
    assert interview.state.answers["log_dispatch_days"] == expected
    interview.state.position = "log_dispatch_days"
    assert interview.prompt().current == f"{expected:g} days"


def test_progress_counts_shown_steps(starter: Questionnaire) -> None:
    interview = started(starter)
    answer_all(interview, ["1", "yes", "no"])
    progress = interview.progress(interview.step_at("log_channel"))
    logistics = next(dimension for dimension in starter.dimensions if dimension.id == "logistics")
    conditional = sum(1 for question in logistics.questions if question.show_if is not None)
    assert (progress.section, progress.question, progress.questions) == (3, 1, len(logistics.questions) - conditional)
    assert progress.done == 3  # questions: the profile is not counted, as in "up to N questions"
    assert progress.total == len(starter.questions()) - 1  # log_courier_registered waits for log_channel
    assert interview.answered() == (progress.done, progress.total)


def test_review_lists_every_shown_answer_and_changes_one(starter: Questionnaire) -> None:
    interview = started(starter)
    answer_all(interview, BY_NUMBER)
    items = interview.review()
    assert [item.key for item in items] == [step.key for step in interview.shown_steps()]
    by_key = {item.key: item for item in items}
    assert by_key["business.name"].answer == PROFILE[0]
    assert by_key["log_dispatch_days"].answer == "3 days"
    assert by_key["plat_presence"].answer == "Alibaba.com"

    number = by_key["log_hs_code"].number
    assert interview.submit_review(str(number)).outcome == Outcome.CHANGE
    assert at(interview) == "log_hs_code"
    assert interview.submit("yes").outcome == Outcome.ANSWERED
    assert interview.in_review  # straight back to the review, nothing else re-asked
    assert interview.state.answers["log_hs_code"] == "yes"


def test_a_change_that_hides_questions_keeps_their_answers_but_ignores_them(starter: Questionnaire) -> None:
    interview = started(starter)
    answer_all(interview, BY_NUMBER)
    channel = next(item.number for item in interview.review() if item.key == "log_channel")
    interview.submit_review(str(channel))
    interview.submit("post")
    assert interview.in_review
    assert interview.state.answers["log_courier_registered"] == "yes"  # kept in the draft...
    assert "log_courier_registered" not in interview.shown_answers()  # ...but ignored
    assert "log_courier_registered" not in interview.response(on="2026-11-23").answers
    assert "log_courier_registered" not in [item.key for item in interview.review()]
    interview.submit_review(str(channel))
    interview.submit("courier")  # shown again, with its answer, not asked again
    assert interview.in_review
    assert interview.response(on="2026-11-23").answers["log_courier_registered"] == "yes"


def test_a_change_that_shows_new_questions_asks_them_before_the_review(starter: Questionnaire) -> None:
    interview = started(starter)
    answer_all(interview, [*BY_NUMBER[:7], "Nowhere yet", "Ayesha"])
    assert interview.in_review
    presence = next(item.number for item in interview.review() if item.key == "plat_presence")
    interview.submit_review(str(presence))
    interview.submit("1")
    assert at(interview) == "plat_reply_hours"
    interview.submit("6")
    assert at(interview) == "plat_listing_photos"
    interview.submit("all")
    assert interview.in_review


def test_review_refuses_unknown_input_and_back_returns_to_the_last_question(starter: Questionnaire) -> None:
    interview = started(starter)
    answer_all(interview, BY_NUMBER)
    count = len(interview.shown_steps())
    feedback = interview.submit_review(str(count + 1))
    assert (feedback.outcome, feedback.text) == (
        Outcome.INVALID,
        f"Type a number from 1 to {count} to change an answer, or press Enter to finish.",
    )
    assert interview.submit_review("b").outcome == Outcome.BACK
    assert at(interview) == starter.questions()[-1].id


def test_finishing_with_a_missing_answer_goes_to_it(starter: Questionnaire) -> None:
    interview = Interview(starter, State(business={"name": "X"}, position=REVIEW))
    assert interview.submit_review("").outcome == Outcome.INCOMPLETE
    assert at(interview) == starter.questions()[0].id
    assert interview.state.editing


# Drafts


def test_draft_round_trip_keeps_answers_position_and_visits(tmp_path: Path, starter: Questionnaire) -> None:
    interview = started(starter)
    answer_all(interview, ["1,3", "yes", "na", "courier"])
    draft = Draft(tmp_path / "drafts", str(Path("tests/data/questionnaires/starter.yaml").resolve()))
    path = draft.save(interview)
    assert path == tmp_path / "drafts" / "Ali-Sports-Works.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert Response.model_validate(document["response"]).answers == answers_to_json(interview.state.answers)
    assert document["position"] == {"step": "log_courier_registered", "editing": False}

    resumed, same_draft, warnings = load_draft(path)
    assert warnings == []
    assert same_draft.path == path
    assert resumed.state.answers == interview.state.answers
    assert resumed.state.business == interview.state.business
    assert resumed.state.visited == interview.state.visited
    assert at(resumed) == "log_courier_registered"


def test_nothing_is_saved_before_the_business_has_a_name(tmp_path: Path, starter: Questionnaire) -> None:
    draft = Draft(tmp_path / "drafts", "starter")
    assert draft.save(Interview(starter)) is None
    assert not (tmp_path / "drafts").exists()


def test_drafts_of_two_businesses_with_the_same_name_do_not_overwrite(tmp_path: Path, starter: Questionnaire) -> None:
    first, second = Draft(tmp_path, "starter"), Draft(tmp_path, "starter")
    assert first.save(started(starter)) == tmp_path / "Ali-Sports-Works.json"
    assert second.save(started(starter)) == tmp_path / "Ali-Sports-Works-2.json"
    assert first.save(started(starter)) == tmp_path / "Ali-Sports-Works.json"  # a draft keeps its own file


def test_a_failed_save_leaves_the_previous_draft_intact(
    tmp_path: Path, starter: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    interview = started(starter)
    draft = Draft(tmp_path / "drafts", "starter")
    path = draft.save(interview)
    assert path is not None
    before = path.read_bytes()
    interview.submit("1")

    def crash(descriptor: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        draft.save(interview)
    assert path.read_bytes() == before
    assert sorted(item.name for item in path.parent.iterdir()) == [path.name]  # no half-written temporary file


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"format": "cbectool-draft", ', ":1: is not a cbectool draft (broken JSON: Expecting property name"),
        ("[1, 2]", ": is not a cbectool draft"),
        ('{"questionnaire": {"id": "starter"}, "business": {"name": "A"}, "answers": {}}', ": is a response file"),
        ('{"format": "cbectool-draft", "format_version": 9}', ": was saved by a newer cbectool (draft format 9)"),
        ('{"format": "cbectool-draft", "format_version": 1}', ": is not a usable cbectool draft (response: Field"),
    ],
)
def test_a_corrupt_or_foreign_draft_is_refused_naming_the_file(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "draft.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DraftError) as caught:
        load_draft(path)
    assert str(caught.value).startswith(f"{path}{expected}")


def test_a_draft_of_another_questionnaire_is_refused(tmp_path: Path, starter: Questionnaire) -> None:
    path = Draft(tmp_path, "starter").save(started(starter))
    assert path is not None
    other = starter.model_copy(update={"id": "other"})
    with pytest.raises(DraftError, match=r"was started with questionnaire 'starter', not 'other'"):
        load_draft(path, other)


def test_a_draft_whose_questionnaire_file_is_gone_is_refused_naming_the_draft(
    tmp_path: Path, starter: Questionnaire
) -> None:
    gone = tmp_path / "moved-away.yaml"
    path = Draft(tmp_path / "drafts", str(gone)).save(started(starter))
    assert path is not None
    with pytest.raises(DraftError) as caught:
        load_draft(path)
    assert str(caught.value) == f"{path}: questionnaire_source: {gone}: no such questionnaire file"


def test_an_answer_that_no_longer_fits_is_dropped_with_a_warning_and_asked_again(
    tmp_path: Path, starter: Questionnaire
) -> None:
    interview = started(starter)
    answer_all(interview, ["1", "yes"])
    path = Draft(tmp_path, "starter").save(interview)
    assert path is not None
    document = json.loads(path.read_text(encoding="utf-8"))
    document["response"]["answers"]["pay_invoice_fcy"] = "perhaps"
    document["response"]["answers"]["gone"] = "yes"
    path.write_text(json.dumps(document), encoding="utf-8")
    resumed, _, warnings = load_draft(path, starter)
    assert [str(warning) for warning in warnings] == [
        f"{path}: answers.pay_invoice_fcy: 'perhaps' is not one of the choices. The question \"Can you quote prices "
        'and issue invoices in US dollars or another foreign currency?" will be asked again.',
        f"{path}: answers.gone: no such question any more; dropped",
    ]
    assert "pay_invoice_fcy" not in resumed.state.visited


def test_the_home_folder_is_out_then_cbectool_home_then_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CBECTOOL_HOME", raising=False)
    assert drafts.home() == Path.home() / "cbectool"
    monkeypatch.setenv("CBECTOOL_HOME", str(tmp_path / "env"))
    assert drafts.home() == tmp_path / "env"
    assert drafts.home(tmp_path / "out") == tmp_path / "out"
    assert drafts.drafts_dir(tmp_path) == tmp_path / "drafts"
    assert drafts.results_dir(tmp_path) == tmp_path / "results"


def test_latest_draft_is_the_most_recently_saved(tmp_path: Path) -> None:
    assert drafts.latest_draft(tmp_path) is None
    old, new = tmp_path / "a.json", tmp_path / "b.json"
    old.write_text("{}", encoding="utf-8")
    new.write_text("{}", encoding="utf-8")
    os.utime(old, ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    os.utime(new, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    assert drafts.latest_draft(tmp_path) == old


# The terminal front end, fed by an injected reader


class Lines:
    """A reader that types the given lines; ``None`` is Ctrl-C."""

    def __init__(self, lines: list[str | None]) -> None:
        self.lines = list(lines)
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        line = self.lines.pop(0)
        if line is None:
            raise KeyboardInterrupt
        return line


def consoles(height: int = 100) -> tuple[Console, Console, io.StringIO]:
    """The owner's terminal (tall enough by default for the review on one page), the error stream, the output."""
    buffer = io.StringIO()
    return Console(file=buffer, width=100, height=height), Console(file=io.StringIO(), width=100), buffer


def test_terminal_interview_saves_the_result_and_removes_the_draft(
    tmp_path: Path, starter_path: Path, starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    options = AssessOptions(questionnaire=str(starter_path), out=tmp_path, pdf=False)
    console, errors, buffer = consoles()
    reader = Lines(["", *PROFILE, "?", *BY_NUMBER, ""])
    assert run(options, console, errors, reader, interactive=True) == ExitCode.OK
    assert reader.lines == []
    result = json.loads((tmp_path / "results" / "Ali-Sports-Works.json").read_text(encoding="utf-8"))
    assert result["answers"] == answers_to_json(validate_answers(starter, starter_answers))
    assert list((tmp_path / "drafts").iterdir()) == []
    shown = " ".join(buffer.getvalue().split())
    assert f"Why we ask: {localize(starter.questions()[0].help)}" in shown
    assert f"Your answers are saved in: {tmp_path / 'results' / 'Ali-Sports-Works.json'}" in shown
    assert "Make it later with: cbectool report" not in shown


def test_terminal_interview_stopped_with_ctrl_c_keeps_the_draft(tmp_path: Path, starter_path: Path) -> None:
    options = AssessOptions(questionnaire=str(starter_path), out=tmp_path, pdf=False)
    console, errors, buffer = consoles()
    assert run(options, console, errors, Lines(["", *PROFILE, "1", None]), interactive=True) == ExitCode.INTERRUPTED
    path = tmp_path / "drafts" / "Ali-Sports-Works.json"
    assert f"Stopped. Your answers are saved in: {path}" in buffer.getvalue()
    assert f"To continue, run: cbectool assess --resume {path}" in buffer.getvalue()
    resumed, _, _ = load_draft(path)
    assert resumed.state.answers == {"pay_receive_channel": ("bank_remittance",)}
    assert at(resumed) == "pay_invoice_fcy"


def _stop_after_name(tmp_path: Path, starter_path: Path) -> Path:
    options = AssessOptions(questionnaire=str(starter_path), out=tmp_path, pdf=False)
    console, errors, _ = consoles()
    assert run(options, console, errors, Lines(["", PROFILE[0], None]), interactive=True) == ExitCode.INTERRUPTED
    return tmp_path / "drafts" / "Ali-Sports-Works.json"


def test_declining_the_offer_starts_a_new_check_in_a_new_file(tmp_path: Path, starter_path: Path) -> None:
    first = _stop_after_name(tmp_path, starter_path)
    options = AssessOptions(questionnaire=str(starter_path), out=tmp_path, pdf=False)
    console, errors, buffer = consoles()
    reader = Lines(["maybe", "n", "", PROFILE[0], None])
    assert run(options, console, errors, reader, interactive=True) == ExitCode.INTERRUPTED
    assert reader.prompts[:3] == ["Continue it? Type y for yes or n for no [y]: "] * 2 + ["Press Enter to start: "]
    assert "You have an unfinished check for Ali Sports Works" in buffer.getvalue()
    assert "Please type y or n." in buffer.getvalue()
    assert sorted(path.name for path in first.parent.iterdir()) == ["Ali-Sports-Works-2.json", first.name]


def test_a_broken_latest_draft_is_not_offered_and_does_not_block(tmp_path: Path, starter_path: Path) -> None:
    broken = tmp_path / "drafts" / "broken.json"
    broken.parent.mkdir()
    broken.write_text("{", encoding="utf-8")
    options = AssessOptions(questionnaire=str(starter_path), out=tmp_path, pdf=False)
    console, errors, _ = consoles()
    reader = Lines(["", None])
    assert run(options, console, errors, reader, interactive=True) == ExitCode.INTERRUPTED
    assert reader.prompts == ["Press Enter to start: ", "Your answer: "]
    assert isinstance(errors.file, io.StringIO)
    assert " ".join(errors.file.getvalue().split()).startswith(f"Warning: {broken}:1: is not a cbectool draft")


def test_a_draft_of_another_questionnaire_is_not_offered(tmp_path: Path, starter_path: Path) -> None:
    _stop_after_name(tmp_path, starter_path)
    other = tmp_path / "other.yaml"
    other.write_text(starter_path.read_text(encoding="utf-8").replace("\nid: starter\n", "\nid: other\n"), "utf-8")
    options = AssessOptions(questionnaire=str(other), out=tmp_path, pdf=False)
    console, errors, _ = consoles()
    reader = Lines(["", None])
    assert run(options, console, errors, reader, interactive=True) == ExitCode.INTERRUPTED
    assert reader.prompts == ["Press Enter to start: ", "Your answer: "]


def test_resume_without_a_draft_is_a_user_error(tmp_path: Path) -> None:
    console, errors, _ = consoles()
    with pytest.raises(CbecError) as caught:
        run(AssessOptions(out=tmp_path, resume=True), console, errors, Lines([]), interactive=True)
    assert str(caught.value) == (f"no unfinished check in {tmp_path / 'drafts'}; start a new one with: cbectool assess")
    assert caught.value.exit_code == ExitCode.USER


def test_resuming_an_explicit_draft_saves_the_result_beside_its_folder(
    tmp_path: Path, starter_path: Path, starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    draft = _stop_after_name(tmp_path / "workshop", starter_path)
    console, errors, buffer = consoles()
    reader = Lines([*PROFILE[1:], *BY_NUMBER, ""])
    assert run(AssessOptions(draft=draft, pdf=False), console, errors, reader, interactive=True) == ExitCode.OK
    result = tmp_path / "workshop" / "results" / "Ali-Sports-Works.json"
    assert json.loads(result.read_text(encoding="utf-8"))["answers"] == answers_to_json(
        validate_answers(starter, starter_answers)
    )
    assert "Welcome back. We continue the check for Ali Sports Works." in buffer.getvalue()
    assert not draft.exists()


def test_the_review_is_shown_once_and_an_unknown_entry_is_asked_again(tmp_path: Path, starter_path: Path) -> None:
    options = AssessOptions(questionnaire=str(starter_path), out=tmp_path, pdf=False)
    console, errors, buffer = consoles()
    reader = Lines(["", *PROFILE, *BY_NUMBER, "x", "99", ""])
    assert run(options, console, errors, reader, interactive=True) == ExitCode.OK
    assert reader.prompts[-3:] == ["Number to change, or Enter to finish: "] * 3
    shown = buffer.getvalue()
    assert shown.count("Check your answers") == 1
    count = len(PROFILE) + len(BY_NUMBER)  # every question is shown with these answers
    hint = f"Type a number from 1 to {count} to change an answer, or press Enter to finish."
    assert shown.count(hint) == 3  # under the review, then after "x" and after "99"


TYPED = ["1", "2", "3", "5", "1,2", "2 4", "b", "?", "", "x", "9", "12", "Ali", "yes", "none"]


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.sampled_from(TYPED), max_size=40))
def test_whatever_is_typed_the_finished_response_validates_and_the_draft_round_trips(
    starter: Questionnaire, tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    interview = Interview(starter)
    for line in lines:
        interview.submit(line)
    draft = Draft(tmp_path_factory.mktemp("drafts"), "starter")
    draft.save(interview)  # saved even when the lines typed already finished every question
    for _ in range(100):  # then answer "1" (or a name) until the review accepts
        draft.save(interview)  # also when the typed lines alone reached the review
        if interview.in_review and interview.submit_review("").outcome == Outcome.FINISH:
            break
        if not interview.in_review:
            interview.submit("1")
    assert interview.in_review
    response = interview.response(on="2026-11-23")
    assert evaluate(response, starter).answers == interview.shown_answers()
    assert draft.path is not None
    resumed, _, warnings = load_draft(draft.path, starter)
    assert warnings == []
    assert (resumed.state.answers, resumed.state.business) == (interview.state.answers, interview.state.business)


def test_texts_come_in_the_chosen_language_with_english_as_fallback(tmp_path: Path, starter_path: Path) -> None:
    from cbectool import resources

    urdu = "آپ سامان بیرون ملک کیسے بھیجتے ہیں؟"
    text = starter_path.read_text(encoding="utf-8").replace(
        "text: How do you (or would you) send goods abroad?",
        f'text: {{en: "How do you (or would you) send goods abroad?", ur: "{urdu}"}}',
    )
    assert urdu in text
    path = tmp_path / "bilingual.yaml"
    path.write_text(text, encoding="utf-8")
    questionnaire = resources.load(str(path))
    english = Interview(questionnaire, State(business={"name": "X"}, position="log_channel"))
    in_urdu = Interview(questionnaire, State(business={"name": "X"}, position="log_channel"), lang="ur")
    assert (english.prompt().text, in_urdu.prompt().text) == ("How do you (or would you) send goods abroad?", urdu)
    assert in_urdu.prompt().choices[0].label == "International courier"  # no Urdu label: English
