"""Workshop mode's pages over HTTP, on a real server: the same interview as ``assess``, files as the contract."""

from __future__ import annotations

import io
import json
import re
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from rich.console import Console
from serve_support import ANSWERS, PROFILE, STARTER, Client, running, wait_for
from typer.testing import CliRunner

from cbectool.cli import app
from cbectool.interview.draft import load_draft
from cbectool.interview.flow import REVIEW
from cbectool.interview.terminal import AssessOptions, run
from cbectool.scoring import format_score
from cbectool.web import messages
from cbectool.web.app import report_font_families


def visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.slow  # a real report: a worker process and WeasyPrint
def test_a_whole_check_gives_a_response_file_that_score_and_report_read(
    tmp_path: Path, starter_answers: dict[str, object]
) -> None:
    cohort = tmp_path / "cohort"
    with running(cohort, real_reports=True) as server:
        phone = server.client()
        page = phone.start()
        assert page.path == "/check"
        assert "What is the name of your business?" in page.text
        page = phone.answer_all([*PROFILE, *ANSWERS])
        assert "Check your answers" in page.text
        result = phone.finish()
        assert result.path == "/result"
        shown = visible(result.text)
        assert "Your level" in shown
        assert "Ready to start" in shown  # the starter's level for these answers (cbectool score agrees below)
        assert "Your first steps" in shown
        assert "Find the PCT (HS) code of your main product" in shown
        wait_for(lambda: "Download your report" in phone.get("/result").text, 120, "the report was never made")
        pdf = phone.get("/report.pdf")
        assert pdf.header("Content-Type") == "application/pdf"
        assert "Ali-Sports-Works-cbec-report.pdf" in pdf.header("Content-Disposition")
        report_text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.body)).pages)
        assert "Ali Sports Works" in report_text

    response_file = cohort / "Ali-Sports-Works.json"
    document = json.loads(response_file.read_text(encoding="utf-8"))
    assert document["answers"] == starter_answers
    assert document["business"]["name"] == "Ali Sports Works"
    assert document["questionnaire"] == {"id": "starter", "version": "0.1"}
    assert (cohort / "Ali-Sports-Works.pdf").is_file()
    assert list((cohort / "drafts").iterdir()) == []  # finished: no draft left, as with assess
    scored = CliRunner().invoke(app, ["score", str(response_file), "-q", str(STARTER), "--format", "json"])
    assert scored.exit_code == 0, scored.output
    overall = json.loads(scored.stdout)["overall"]
    assert overall["level_name"] == "Ready to start"
    assert f"Score: {format_score(overall['score'])} out of 100" in shown  # the same figure as everywhere


def test_every_answer_is_in_a_draft_that_assess_can_continue(
    tmp_path: Path, starter_answers: dict[str, object]
) -> None:
    cohort = tmp_path / "cohort"
    with running(cohort) as server:
        phone = server.client()
        phone.start()
        phone.answer_all([*PROFILE, *ANSWERS[:4]])
        draft_path = cohort / "drafts" / "Ali-Sports-Works.json"
        interview, _, warnings = load_draft(draft_path)
        assert warnings == []
        assert interview.state.answers["log_channel"] == "courier"
        assert interview.state.position == "log_courier_registered"
        assert interview.state.business["city"] == "Sialkot"
    # The terminal continues it: the rest of the starter questionnaire by number, then Enter on the review.
    typed = iter(["1", "2", "3", "1", "6", "2", "Ayesha", *[""] * 10])  # then Enter through the review's pages
    console = Console(file=io.StringIO(), width=120)
    options = AssessOptions(draft=draft_path, pdf=False)
    assert run(options, console, Console(file=io.StringIO()), lambda prompt: next(typed), interactive=True) == 0
    assert "Welcome back. We continue the check for Ali Sports Works." in console.file.getvalue()
    assert json.loads((cohort / "results" / "Ali-Sports-Works.json").read_text(encoding="utf-8"))["answers"] == (
        starter_answers
    )


def test_back_shows_the_earlier_answer_and_a_second_tap_answers_nothing(tmp_path: Path) -> None:
    with running(tmp_path / "cohort") as server:
        phone = server.client()
        phone.start()
        phone.answer_all([*PROFILE, ANSWERS[0]])
        stale = phone.last
        assert stale is not None and 'name="step" value="pay_invoice_fcy"' in stale.text
        phone.answer("yes")
        again = phone.post(
            "/check", {"csrf": stale.field("csrf"), "step": "pay_invoice_fcy", "action": "next", "answer": "no"}
        )
        assert "That page was out of date, so nothing was changed." in again.text
        assert 'name="step" value="pay_refunds"' in again.text
        back = phone.answer([], action="back")
        assert 'name="step" value="pay_invoice_fcy"' in back.text
        assert re.search(r'value="yes"\s+checked', back.text)  # the answer given is shown
        draft = json.loads((tmp_path / "cohort" / "drafts" / "Ali-Sports-Works.json").read_text(encoding="utf-8"))
        assert draft["response"]["answers"]["pay_invoice_fcy"] == "yes"


def test_a_refused_answer_says_why_in_the_participants_language_and_keeps_what_was_typed(tmp_path: Path) -> None:
    with running(tmp_path / "cohort") as server:
        phone = server.client()
        phone.start()
        phone.answer_all([*PROFILE, *ANSWERS[:6]])
        refused = phone.answer("400")
        assert refused.status == 422
        assert "Write a number from 0 to 365." in visible(refused.text)
        assert 'value="400"' in refused.text
        phone.post("/language", {"csrf": phone.csrf(), "lang": "ur", "next": "/check"})
        refused = phone.answer("")
        assert refused.status == 422
        assert 'lang="ur" dir="rtl"' in refused.text
        assert messages.text("needs_answer", "ur") in refused.text  # the catalogue's Urdu
        assert messages.text("needs_answer", "ur") != messages.text("needs_answer", "en")
        phone.answer_all(["3"])
        refused = phone.answer(["alibaba", "none"])
        assert "“<bdi>Nowhere yet</bdi>” کے ساتھ کوئی اور جواب نہیں چنا جا سکتا۔" in refused.text


def test_the_review_changes_one_answer_and_new_questions_are_asked_first(tmp_path: Path) -> None:
    with running(tmp_path / "cohort") as server:
        phone = server.client()
        phone.start()
        review = phone.answer_all([*PROFILE, *ANSWERS[:7], ["none"], "Ayesha"])
        assert "Check your answers" in review.text
        assert "How many hours do you usually take" not in review.text  # hidden by "Nowhere yet"
        page = phone.post("/check/change", {"csrf": review.field("csrf"), "key": "plat_presence"})
        assert 'name="step" value="plat_presence"' in page.text
        page = phone.answer_all([["amazon"]])
        assert 'name="step" value="plat_reply_hours"' in page.text  # shown now: asked before the review
        review = phone.answer_all(["6", "all"])
        assert "Check your answers" in review.text
        refused = phone.post("/check/change", {"csrf": review.field("csrf"), "key": "no_such_question"})
        assert "That page was out of date" in refused.text


def test_finishing_with_a_missing_answer_goes_to_it(tmp_path: Path) -> None:
    with running(tmp_path / "cohort") as server:
        phone = server.client()
        phone.start()
        phone.answer_all([*PROFILE, *ANSWERS])
        participant = server.workshop.store.everyone()[0]
        with participant.lock, server.workshop.store.interview(participant) as interview:
            del interview.state.answers["pay_refunds"]  # as if the questionnaire had gained a question
            assert interview.state.position == REVIEW
        page = phone.finish()
        assert "Some questions still need an answer. This is the first one." in page.text
        assert 'name="step" value="pay_refunds"' in page.text


def test_urdu_pages_are_right_to_left_with_the_reports_font_served_here(tmp_path: Path) -> None:
    with running(tmp_path / "cohort") as server:
        phone = server.client()
        welcome = phone.get("/", headers={"Accept-Language": "ur-PK,ur;q=0.9,en;q=0.8"})
        assert '<html lang="ur" dir="rtl">' in welcome.text
        assert "شروع کریں" in welcome.text
        english = phone.post("/language", {"csrf": welcome.field("csrf"), "lang": "en", "next": "/"})
        assert '<html lang="en" dir="ltr">' in english.text
        fonts = phone.get("/static/fonts.css")
        assert fonts.header("Content-Type").startswith("text/css")
        names = re.findall(r'url\("(/static/fonts/[^"]+)"\)', fonts.text)
        assert names
        assert f"--report-fonts: {', '.join(report_font_families())};" in fonts.text
        assert report_font_families()  # the report declares its Urdu font: the pages use the same
        for name in names:
            font = phone.get(name)
            assert font.status == 200
            assert len(font.body) > 10_000
        assert phone.get("/static/fonts/..%2Freport.css").status == 404
        assert phone.get("/static/fonts/OFL.txt").status == 404


def test_every_asset_a_page_names_is_served_by_the_laptop(tmp_path: Path) -> None:
    with running(tmp_path / "cohort") as server:
        phone = server.client()
        pages = [phone.get("/"), phone.start(), phone.get("/trainer")]
        for page in pages:
            for url in re.findall(r'(?:src|href)="([^"]+)"', page.text):
                assert url.startswith("/"), f"{page.path} names {url}"
                assert not url.startswith("//")
                assert phone.get(url).status == 200, url


def test_a_closed_phone_comes_back_where_it_stopped_and_another_phone_continues_with_the_code(
    tmp_path: Path,
) -> None:
    with running(tmp_path / "cohort") as server:
        phone = server.client()
        phone.start()
        page = phone.answer_all([*PROFILE, *ANSWERS[:3]])
        code = re.search(r'class="code-value">([0-9 ]+)<', page.text)
        assert code is not None
        again = Client(server.url, cookies=dict(phone.cookies)).get("/")  # the tab closed and opened again
        assert "Continue where you stopped" in again.text
        laptop = server.client()
        laptop.get("/")
        page = laptop.post("/resume", {"csrf": laptop.csrf(), "code": code.group(1)})
        assert page.path == "/check"
        assert 'name="step" value="log_channel"' in page.text
        laptop.answer("courier")
        assert 'name="step" value="log_courier_registered"' in phone.get("/check").text


@pytest.mark.slow  # a real report: a worker process and WeasyPrint
def test_the_trainer_sees_progress_and_levels_and_opens_any_report(tmp_path: Path) -> None:
    with running(tmp_path / "cohort", pin="123456", real_reports=True) as server:
        done, busy = server.client(), server.client()
        done.start()
        done.answer_all([*PROFILE, *ANSWERS])
        done.finish()
        busy.start()
        busy.answer_all(["Bilal Leather", "", "", "", "", ANSWERS[0]])
        trainer = server.client()
        page = trainer.trainer_login("123456")
        assert page.path == "/trainer"
        table = visible(trainer.get("/trainer/table").text)
        assert "Ali Sports Works ✓ Ready to start (73.4)" in table
        assert "Bilal Leather 1 of 10" in table
        participant = server.workshop.store.everyone()[0]
        wait_for(lambda: "PDF" in trainer.get("/trainer/table").text, 120, "the report was never made")
        pdf = trainer.get(f"/trainer/report/{participant.id}")
        assert pdf.header("Content-Type") == "application/pdf"
        assert "Ali Sports Works" in PdfReader(BytesIO(pdf.body)).pages[0].extract_text()


def test_closing_the_session_stops_answers_but_not_reports(tmp_path: Path) -> None:
    with running(tmp_path / "cohort", pin="123456") as server:
        owner = server.client()
        owner.start()
        owner.answer_all(PROFILE)
        trainer = server.client()
        trainer.trainer_login("123456")
        page = trainer.post("/trainer/close", {"csrf": trainer.csrf()})  # the box "Yes, close it" not ticked
        assert not server.workshop.closed
        page = trainer.post("/trainer/close", {"csrf": trainer.csrf(), "confirm": "yes"})
        assert "The session is closed." in page.text
        assert any("closed the session" in line for line in server.said)
        refused = owner.answer(ANSWERS[0])
        assert refused.path == "/check"
        assert "This workshop session is closed. Answers already sent are saved." in refused.text
        draft = json.loads((tmp_path / "cohort" / "drafts" / "Ali-Sports-Works.json").read_text(encoding="utf-8"))
        assert draft["response"]["answers"] == {}
        newcomer = server.client()
        newcomer.get("/")
        assert newcomer.post("/start", {"csrf": newcomer.csrf()}).status == 403


@pytest.mark.parametrize("path", ["/nowhere", "/trainer/outputs/scores.csv", "/static/app.py"])
def test_unknown_addresses_get_a_plain_page(tmp_path: Path, path: str) -> None:
    with running(tmp_path / "cohort") as server:
        reply = server.client().get(path)
        assert reply.status in (403, 404)
        assert "Go to the start page" in reply.text
