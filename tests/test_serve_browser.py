"""A real browser on a phone-sized screen: Debian's Chromium, driven by Playwright, through a whole check.

In English with JavaScript off (server-rendered forms alone), and in Urdu with it on:
start, answer, go back, stop and continue on another "phone" with the short code,
review and change an answer, finish, download the PDF and read it back. Screenshots of
the main pages are saved (``$CBECTOOL_SCREENSHOTS``, else the test's temporary folder).
``./run test`` installs the browser (Debian's ``chromium``); these tests never skip.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from pypdf import PdfReader
from serve_support import Running, running

from cbectool import resources
from cbectool.questionnaire import Question, QuestionType
from cbectool.web.app import report_font_families

pytestmark = pytest.mark.slow  # a browser, and reports in a worker process

CHROMIUM = Path(os.environ.get("CBECTOOL_CHROMIUM", "/usr/bin/chromium"))
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
# As the machine's probe starts it: no sandbox as root, and nothing that reaches for the network.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
URDU_NAME = "علی اسپورٹس ورکس"
QUESTIONNAIRE = resources.load(None)  # the bundled one: what a workshop uses


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: ./run test installs it (sudo apt-get install -y chromium)"
    with sync_playwright() as playwright:
        launched = _launch(playwright)
        yield launched
        launched.close()


def _launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("CBECTOOL_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def phone(browser: Browser, **options: object) -> BrowserContext:
    context = browser.new_context(**PHONE, accept_downloads=True, **options)  # type: ignore[arg-type]
    context.set_default_timeout(30_000)
    return context


def step_key(page: Page) -> str:
    locator = page.locator("input[name=step]")
    return locator.get_attribute("value") or "" if locator.count() else ""


def submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.locator(f"form.step button[value={button}]").click()


def answer_step(page: Page, text: dict[str, str]) -> str:
    """Answer whatever the page asks, as an owner would: a choice, a box or two, a number, some words."""
    key = step_key(page)
    question = QUESTIONNAIRE.question(key)
    if key == "business.name":
        page.locator("input[name=answer]").fill(text["name"])
    elif key.startswith("business."):
        page.locator("input[name=answer]").fill(text.get(key, ""))
    elif question is not None:
        _choose(page, question)
    submit(page, "next")
    return key


def _choose(page: Page, question: Question) -> None:
    if question.type in (QuestionType.SINGLE, QuestionType.YES_NO):
        options = page.locator("input[type=radio][name=answer]")
        options.nth(min(1, options.count() - 1)).check()  # the second choice: a business with some gaps
    elif question.type == QuestionType.MULTI:
        page.locator("input[type=checkbox][name=answer]:not([data-exclusive])").first.check()
    elif question.type == QuestionType.NUMBER:
        low = question.min if question.min is not None else 0
        page.locator("input[name=answer]").fill(str(int(low) + 3 if question.max is None else int(low)))
    else:
        page.locator("input[name=answer]").fill("Ayesha")


def to_review(page: Page, text: dict[str, str], *, limit: int = 200) -> list[str]:
    asked = []
    for _ in range(limit):
        if not step_key(page):
            return asked
        asked.append(answer_step(page, text))
    raise AssertionError("never reached the review")


def shown_code(page: Page) -> str:
    return page.locator(".code-value").inner_text().strip()


def pdf_of(page: Page, link: str) -> bytes:
    with page.expect_download() as download:
        page.locator(link).click()
    path = download.value.path()
    return Path(path).read_bytes()


def wait_for_report(page: Page) -> None:
    """The result page looks again every few seconds (a meta refresh: no script needed) until the PDF is made."""
    page.locator("a[href='/report.pdf']").wait_for(timeout=180_000)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Running]:
    with running(tmp_path / "cohort", questionnaire=None, pin="123456", real_reports=True) as served:
        yield served


def test_a_whole_check_in_english_with_javascript_off(browser: Browser, server: Running, shots: Path) -> None:
    english = {"name": "Ali Sports Works", "business.city": "Sialkot", "business.products": "Footballs"}
    context = phone(browser, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(server.url)
    page.screenshot(path=shots / "en-1-welcome.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Start").click()
    for _ in range(7):
        answer_step(page, english)
    page.locator("details.help summary").click()
    page.screenshot(path=shots / "en-2-question.png", full_page=True)
    before_back = step_key(page)
    submit(page, "back")
    assert step_key(page) not in ("", before_back)
    assert page.locator("input[name=answer]:checked").count() == 1  # the answer given is shown, ready to keep
    submit(page, "next")
    assert step_key(page) == before_back
    code = shown_code(page)
    assert re.fullmatch(r"\d{4} \d{4}", code)
    context.close()  # the phone is put away mid-check

    other = phone(browser, java_script_enabled=False)
    page = other.new_page()
    page.goto(server.url)
    page.locator("#code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert step_key(page) == before_back  # exactly where the first phone stopped

    to_review(page, english)
    assert page.locator("h1").inner_text() == "Check your answers"
    page.screenshot(path=shots / "en-3-review.png", full_page=True)
    with page.expect_navigation():
        page.locator("button[name=key][value='business.city']").click()
    assert page.locator("input[name=answer]").input_value() == "Sialkot"
    page.locator("input[name=answer]").fill("Sialkot Cantt")
    submit(page, "next")
    assert page.locator("h1").inner_text() == "Check your answers"
    assert "Sialkot Cantt" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Finish and see my result").last.click()
    assert page.locator(".level-name").inner_text()
    page.screenshot(path=shots / "en-4-result.png", full_page=True)
    wait_for_report(page)
    page.screenshot(path=shots / "en-5-report-ready.png", full_page=True)
    pdf = PdfReader(BytesIO(pdf_of(page, "a[href='/report.pdf']")))
    text = "".join(pdf_page.extract_text() for pdf_page in pdf.pages)
    assert "Ali Sports Works" in text
    assert len(pdf.pages) > 3
    other.close()


def test_a_whole_check_in_urdu_right_to_left_with_the_urdu_font(browser: Browser, server: Running, shots: Path) -> None:
    urdu = {"name": URDU_NAME, "business.city": "سیالکوٹ"}
    context = phone(browser, locale="en-GB")
    page = context.new_page()
    page.goto(server.url)
    with page.expect_navigation():
        page.locator("form.language button[value=ur]").click()  # the switch, from an English phone
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ur"
    page.screenshot(path=shots / "ur-1-welcome.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="شروع کریں").click()
    for _ in range(8):
        answer_step(page, urdu)
    page.screenshot(path=shots / "ur-2-question.png", full_page=True)
    assert page.locator("form.step button[value=next]").inner_text() == "آگے"
    _assert_urdu_font_used(page)
    asked = step_key(page)
    submit(page, "back")
    submit(page, "next")
    assert step_key(page) == asked

    to_review(page, urdu)
    assert page.locator("h1").inner_text() == "اپنے جوابات دیکھ لیں"
    page.screenshot(path=shots / "ur-3-review.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="مکمل کریں اور نتیجہ دیکھیں").first.click()
    assert page.locator("h1").inner_text() == "آپ کا نتیجہ"
    assert page.locator(".business").inner_text() == URDU_NAME
    _assert_urdu_font_used(page)
    wait_for_report(page)
    page.screenshot(path=shots / "ur-4-result.png", full_page=True)
    pdf = PdfReader(BytesIO(pdf_of(page, "a[href='/report.pdf']")))
    assert len(pdf.pages) > 3
    # the owner answered in Urdu: the report is in Urdu, set in Nastaliq (whose shared glyphs do not read back
    # letter for letter: docs/report.md, "The report in Urdu"), so the name is checked by its script and font
    fonts = {
        str(font.get_object()["/BaseFont"])
        for pdf_page in pdf.pages
        for font in pdf_page["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("cbectool-Nastaliq") for name in fonts), fonts
    cover = pdf.pages[0].extract_text()
    assert sum("\u0600" <= character <= "\u06ff" for character in cover) > 100
    context.close()


def _assert_urdu_font_used(page: Page) -> None:
    """ہ and ے come from the report's own font, served by the laptop (a stock Debian has none: empty boxes)."""
    loaded = page.evaluate(
        """async () => {
            await document.fonts.ready;
            const faces = [...document.fonts].filter(face => face.status === "loaded");
            return faces.map(face => face.family.replaceAll('"', ''));
        }"""
    )
    families = [family.strip("\"'") for family in report_font_families()]  # whatever font the report uses
    assert set(families) & set(loaded), loaded
    # one of them draws Urdu on the pages (Naskh; Nastaliq, declared for whole Urdu reports, is not needed there)
    assert any(page.evaluate(f"document.fonts.check('20px \"{family}\"', 'ہے')") for family in families)


def test_the_trainers_page_on_the_laptop(browser: Browser, server: Running, shots: Path) -> None:
    owner = phone(browser)
    page = owner.new_page()
    page.goto(server.url)
    with page.expect_navigation():
        page.get_by_role("button", name="Start").click()
    to_review(page, {"name": "Ali Sports Works", "business.city": "Sialkot"})
    with page.expect_navigation():
        page.get_by_role("button", name="Finish and see my result").last.click()
    busy = phone(browser).new_page()
    busy.goto(server.url)
    with busy.expect_navigation():
        busy.get_by_role("button", name="Start").click()
    for _ in range(12):
        answer_step(busy, {"name": "Bilal Leather", "business.city": "Lahore"})

    laptop = browser.new_context(viewport={"width": 1100, "height": 800})
    trainer = laptop.new_page()
    trainer.goto(f"{server.url}/trainer")
    trainer.locator("#pin").fill("123456")
    with trainer.expect_navigation():
        trainer.get_by_role("button", name="Open").click()
    rows = trainer.locator("#participants tr")
    assert rows.count() == 2
    assert "Bilal Leather" in trainer.locator("#participants").inner_text()
    trainer.locator("#participants a").wait_for(timeout=180_000)  # the table refreshes itself: the PDF is ready
    trainer.screenshot(path=shots / "trainer.png", full_page=True)
    pdf = PdfReader(BytesIO(pdf_of(trainer, "#participants a")))
    assert "Ali Sports Works" in pdf.pages[0].extract_text()
    laptop.close()
    owner.close()
    busy.context.close()
