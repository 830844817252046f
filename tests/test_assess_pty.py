"""``cbectool assess`` driven end to end through a real pseudo-terminal (pexpect), as an owner would use it."""

from __future__ import annotations

import json
import os
import signal
import stat
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from cbectool.errors import ExitCode
from cbectool.questionnaire import Questionnaire
from cbectool.response import answers_to_json
from cbectool.scoring import validate_answers
from cbectool.text import localize

pytestmark = pytest.mark.slow  # real pseudo-terminals, a process each

TIMEOUT = 30  # seconds; generous for a loaded 2-core machine
ANSWER = "Your answer: "
MORE = "Number to change, or Enter for more: "
FINISH = "Number to change, or Enter to finish: "
PROFILE = ["Ali Sports Works", "Sialkot", "Sports goods", "Footballs", ""]
# The starter questionnaire answered by numbers as in the ``starter_answers`` fixture, question by question.
BY_NUMBER = {
    "pay_receive_channel": "2",
    "pay_invoice_fcy": "1",
    "pay_refunds": "2",
    "log_channel": "1",
    "log_courier_registered": "1",
    "log_hs_code": "2",
    "log_dispatch_days": "3",
    "plat_presence": "1",
    "plat_reply_hours": "6",
    "plat_listing_photos": "2",
    "plat_contact_name": "Ayesha",
}


def _as_a_terminal_user() -> None:
    """A test run started in the background (``pytest &``) inherits an ignored SIGINT; a terminal user has not.

    The usual umask: files are readable by all unless cbectool says otherwise.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.umask(0o022)


class Owner:
    """One ``cbectool assess`` process in a pseudo-terminal, and what the owner types into it."""

    def __init__(self, home: Path, *args: str, lines: int = 40, **environ: str) -> None:
        env = {
            **os.environ,
            "HOME": str(home),
            "CBECTOOL_HOME": str(home / "cbectool"),
            "COLUMNS": "100",
            "LINES": str(lines),
            "NO_COLOR": "1",
            "TERM": "dumb",
            **environ,
        }
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "cbectool", "assess", *args],
            env=env,
            encoding="utf-8",
            timeout=TIMEOUT,
            dimensions=(lines, 100),
            preexec_fn=_as_a_terminal_user,
        )
        self.child.delaybeforesend = None  # every send waits for its prompt first, so no pause is needed

    def expect(self, text: str) -> str:
        """Wait for ``text``; return what came before it."""
        self.child.expect_exact(text)
        before: str = self.child.before
        return before

    def answer(self, *lines: str) -> None:
        for line in lines:
            self.expect(ANSWER)
            self.child.sendline(line)

    def start(self) -> None:
        self.expect("Press Enter to start: ")
        self.child.sendline("")

    def review(self) -> list[str]:
        """Page through the review screen with Enter; return what each page showed, at the last page's prompt."""
        pages = []
        while True:
            last = self.child.expect_exact([MORE, FINISH])
            pages.append(self.child.before)
            if last:
                return pages
            self.child.sendline("")

    def finish(self) -> str:
        """Enter through the review screen; return everything printed until the process ends."""
        self.review()
        self.child.sendline("")
        self.child.expect(pexpect.EOF)
        rest: str = self.child.before
        self.child.close()
        assert self.child.exitstatus == ExitCode.OK, rest
        return rest

    def interrupt(self) -> str:
        self.expect(ANSWER)
        self.child.sendcontrol("c")
        self.child.expect(pexpect.EOF)
        rest: str = self.child.before
        self.child.close()
        assert self.child.exitstatus == ExitCode.INTERRUPTED, rest
        return rest


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "owner"
    folder.mkdir()
    return folder


def result_of(home: Path) -> dict[str, Any]:
    results = sorted((home / "cbectool" / "results").glob("*.json"))
    assert [path.name for path in results] == ["Ali-Sports-Works.json"]
    document: dict[str, Any] = json.loads(results[0].read_text(encoding="utf-8"))
    return document


def expected_answers(starter: Questionnaire, raw: dict[str, object]) -> dict[str, Any]:
    return dict(answers_to_json(validate_answers(starter, raw)))


def flat(text: str) -> str:
    return " ".join(text.split())


def test_answering_everything_gives_the_summary_and_the_saved_result(
    home: Path, starter_path: Path, starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    owner = Owner(home, "--questionnaire", str(starter_path), "--no-pdf")
    welcome = flat(owner.expect("Press Enter to start: "))
    assert "It takes about 15 minutes" in welcome
    assert "Your answers stay on this computer." in welcome
    questions = len(starter.questions())  # one count everywhere: welcome, progress line, docs
    assert (
        f"in {len(starter.dimensions) + 1} parts: first 5 questions about your business, "
        f"then up to {questions} questions about selling abroad" in welcome
    )
    owner.child.sendline("")
    owner.answer(*PROFILE, *list(BY_NUMBER.values())[:-1])
    last = flat(owner.expect(ANSWER))  # with these answers every question is shown
    assert f"Question 4 of 4 in this part. {questions - 1} of {questions} questions answered." in last
    owner.child.sendline(list(BY_NUMBER.values())[-1])
    rest = flat(owner.finish())
    assert "Overall readiness:" in rest
    for dimension in starter.dimensions:
        assert localize(dimension.title) in rest
    saved = home / "cbectool" / "results" / "Ali-Sports-Works.json"
    assert f"Your answers are saved in: {saved}" in rest
    document = result_of(home)
    assert document["answers"] == expected_answers(starter, starter_answers)
    assert document["business"] == {
        "name": "Ali Sports Works",
        "city": "Sialkot",
        "sector": "Sports goods",
        "products": "Footballs",
    }
    assert list((home / "cbectool" / "drafts").iterdir()) == []  # the finished draft is gone


def test_help_an_invalid_answer_and_going_back(
    home: Path, starter_path: Path, starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    owner = Owner(home, "--questionnaire", str(starter_path), "--no-pdf")
    owner.start()
    owner.answer(*PROFILE)
    owner.answer("?")
    first = starter.questions()[0]
    owner.expect(f"Why we ask: {localize(first.help)[:40]}")
    owner.answer("9")
    owner.expect("There is no choice 9. Type one or more numbers from 1 to 5, like 1,3")
    owner.answer(BY_NUMBER["pay_receive_channel"], "2")  # pay_invoice_fcy: "no" by mistake...
    owner.answer("b")  # ...back from pay_refunds...
    shown = flat(owner.expect(ANSWER))
    assert "Your answer now: No" in shown
    assert localize(starter.question("pay_invoice_fcy").text) in shown  # type: ignore[union-attr]
    owner.child.sendline("1")  # ...and corrected to "yes"
    owner.answer(*list(BY_NUMBER.values())[2:])
    owner.finish()
    assert result_of(home)["answers"] == expected_answers(starter, starter_answers)


def test_ctrl_c_in_the_middle_then_resume_loses_nothing(
    home: Path, starter_path: Path, starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    values = list(BY_NUMBER.values())
    no_cbectool = home / "bin"  # cbectool is not on the PATH: the hint names how it was started
    no_cbectool.mkdir()
    owner = Owner(home, "--questionnaire", str(starter_path), "--no-pdf", PATH=str(no_cbectool))
    owner.start()
    owner.answer(*PROFILE, *values[:5])
    stopped = flat(owner.interrupt())
    draft = home / "cbectool" / "drafts" / "Ali-Sports-Works.json"
    assert f"Stopped. Your answers are saved in: {draft}" in stopped
    assert f"To continue, run: {sys.executable} -m cbectool assess --resume {draft}" in stopped
    saved = json.loads(draft.read_text(encoding="utf-8"))
    assert list(saved["response"]["answers"]) == list(BY_NUMBER)[:5]

    again = Owner(home, "--resume", "--no-pdf")  # the draft remembers its questionnaire
    again.expect("Welcome back. We continue the check for Ali Sports Works.")
    shown = flat(again.expect(ANSWER))
    assert localize(starter.question("log_hs_code").text) in shown  # type: ignore[union-attr]
    again.child.sendline(values[5])
    again.answer(*values[6:])
    again.finish()
    document = result_of(home)
    assert document["answers"] == expected_answers(starter, starter_answers)
    assert document["business"]["name"] == "Ali Sports Works"


def test_started_through_run_the_hint_names_run(home: Path, starter_path: Path) -> None:
    owner = Owner(home, "-q", str(starter_path), "--no-pdf", CBECTOOL_INVOKED_AS="./run cbectool")
    owner.start()
    owner.answer(*PROFILE[:2])
    stopped = flat(owner.interrupt())
    draft = home / "cbectool" / "drafts" / "Ali-Sports-Works.json"
    assert f"To continue, run: ./run cbectool assess --resume {draft}" in stopped


def test_a_plain_assess_offers_to_continue_the_draft(
    home: Path, starter_path: Path, starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    values = list(BY_NUMBER.values())
    owner = Owner(home, "--questionnaire", str(starter_path), "--no-pdf")
    owner.start()
    owner.answer(*PROFILE, *values[:2])
    owner.interrupt()

    again = Owner(home, "--no-pdf")
    again.expect("You have an unfinished check for Ali Sports Works")
    again.expect("Continue it? Type y for yes or n for no [y]: ")
    again.child.sendline("y")
    again.answer(*values[2:])
    again.finish()
    assert result_of(home)["answers"] == expected_answers(starter, starter_answers)


def test_changing_an_answer_on_the_review_screen(
    home: Path, starter_path: Path, starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    owner = Owner(home, "--questionnaire", str(starter_path), "--no-pdf")
    owner.start()
    owner.answer(*PROFILE, *BY_NUMBER.values())
    review = flat(" ".join(owner.review()))
    hs_code = localize(starter.question("log_hs_code").text)  # type: ignore[union-attr]
    # With these answers every question is shown, so the review numbers the profile, then each question.
    number = len(PROFILE) + [question.id for question in starter.questions()].index("log_hs_code") + 1
    assert f"{number}. {hs_code} -> No" in review
    owner.child.sendline(str(number))
    owner.answer("1")  # "yes" instead of "no"
    owner.finish()
    assert result_of(home)["answers"] == expected_answers(starter, {**starter_answers, "log_hs_code": "yes"})


def test_the_review_comes_in_pages_that_fit_a_small_terminal(
    home: Path, starter_path: Path, starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    lines = 20
    owner = Owner(home, "-q", str(starter_path), "--no-pdf", lines=lines)
    owner.start()
    owner.answer(*PROFILE, *BY_NUMBER.values())
    pages = owner.review()
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        # From the Enter that showed it: a blank line, the title, the answers and the hint, then the prompt.
        shown = page[page.rindex(f"Check your answers (page {number} of {len(pages)})") :]
        assert shown.count("\n") + 2 <= lines
    every = flat(" ".join(pages))
    for item in range(1, len(PROFILE) + len(BY_NUMBER) + 1):
        assert f" {item}. " in f" {every}"
    owner.child.sendline("p")  # the page before
    previous = owner.child.expect_exact([MORE, FINISH])
    assert previous == 0
    assert f"Check your answers (page {len(pages) - 1} of {len(pages)})" in owner.child.before
    owner.child.sendline("")
    owner.expect(FINISH)
    owner.child.sendline("")
    owner.child.expect(pexpect.EOF)
    owner.child.close()
    assert owner.child.exitstatus == ExitCode.OK
    assert result_of(home)["answers"] == expected_answers(starter, starter_answers)


def test_a_closed_terminal_leaves_the_draft_with_every_answer_given(
    home: Path, starter_path: Path, starter_answers: dict[str, object]
) -> None:
    values = list(BY_NUMBER.values())
    owner = Owner(home, "--questionnaire", str(starter_path), "--no-pdf")
    owner.start()
    owner.answer(*PROFILE, *values[:4])
    owner.expect(ANSWER)  # the fourth answer is saved before the next question is shown
    owner.child.close(force=True)  # the terminal window is closed: hang-up
    draft = home / "cbectool" / "drafts" / "Ali-Sports-Works.json"
    saved = json.loads(draft.read_text(encoding="utf-8"))
    assert saved["response"]["answers"] == {key: starter_answers[key] for key in list(BY_NUMBER)[:4]}
    assert saved["position"]["step"] == "log_courier_registered"
    assert [path.name for path in draft.parent.iterdir()] == [draft.name]  # no temporary file left behind
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600  # it holds the owner's phone number: owner only
    assert stat.S_IMODE(draft.parent.stat().st_mode) == 0o700


def _bilingual(starter_path: Path, folder: Path) -> tuple[Path, str]:
    """The starter questionnaire declaring Urdu, its first question with an Urdu text: (file, that text)."""
    import yaml

    data = yaml.safe_load(starter_path.read_text(encoding="utf-8"))
    data["languages"] = ["en", "ur"]
    first = data["dimensions"][0]["questions"][0]
    urdu = "آپ بیرون ملک سے ادائیگی کیسے لیتے ہیں؟"
    first["text"] = {"en": first["text"], "ur": urdu}
    path = folder / "bilingual.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, urdu


def test_assess_in_urdu_says_which_terminals_show_it_asks_in_urdu_and_finishes_with_an_urdu_report(
    home: Path, starter_path: Path, starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    from cbectool.interview.terminal import text

    questionnaire, question = _bilingual(starter_path, home)
    owner = Owner(home, "--questionnaire", str(questionnaire), "--lang", "ur")
    first = flat(owner.expect(text("start", "ur")))
    # the notice, first in English (every terminal shows it), then in Urdu, then the Urdu welcome (up to the
    # command line it names, which is how this test started cbectool, not how the notice would name it here)
    notice_en, notice_ur = (flat(text("rtl_terminal", lang)).split("(", 1)[0] for lang in ("en", "ur"))
    assert first.index(notice_en) < first.index(notice_ur) < first.index(flat(text("welcome_title", "ur")))
    assert "Windows Terminal" in notice_en and "workshop pages" in flat(text("rtl_terminal", "en"))
    owner.child.sendline("")
    answer = text("answer", "ur")
    for line in PROFILE:
        owner.expect(answer)
        owner.child.sendline(line)
    asked = flat(owner.expect(answer))
    assert question in asked  # the questionnaire's own Urdu
    assert flat(text("section", "ur", section=2, sections=4, title=localize(starter.dimensions[0].title)))[:12] in asked
    owner.child.sendline(BY_NUMBER["pay_receive_channel"])
    for line in list(BY_NUMBER.values())[1:]:
        owner.expect(answer)
        owner.child.sendline(line)
    while owner.child.expect_exact([text("review_prompt_more", "ur"), text("review_prompt", "ur")]) == 0:
        owner.child.sendline("")
    owner.child.sendline("")
    owner.child.expect(pexpect.EOF, timeout=120)  # the Urdu PDF
    rest = flat(owner.child.before)
    owner.child.close()
    assert owner.child.exitstatus == ExitCode.OK, rest
    assert flat(text("result_title", "ur")) in rest
    document = result_of(home)
    assert document["language"] == "ur"
    assert document["answers"] == expected_answers(starter, starter_answers)
    pdf = home / "cbectool" / "results" / "Ali-Sports-Works.pdf"
    assert flat(text("saved_report", "ur", path=pdf)) in rest
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("cbectool-Nastaliq") for name in fonts), fonts  # the report in Urdu, in Nastaliq
