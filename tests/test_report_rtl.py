"""The report and the cohort summary in Urdu (issue 13): right to left, set in Nastaliq, within the page budget.

The HTML is checked in the inner loop: the document's direction, the right-to-left stylesheet, the interface's
words in Urdu, values that keep their own direction. The PDFs are read back in the full suite (each takes one to
two seconds): Arabic-script text on every page, drawn by the embedded Nastaliq, the page number on the left,
every persona report within the English report's budget of 10 pages, and type no smaller than in English.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_report_pages import PAGE_BUDGET, PERSONAS, SMALLEST_PT, printed_sizes
from test_report_urdu import drawn_by_font, is_arabic_script

from cbectool import i18n, resources
from cbectool.cohort.stats import CohortStats
from cbectool.cohort.summary import render_summary_pdf
from cbectool.report import build_context, render_report_html, render_report_pdf
from cbectool.response import load_response
from cbectool.scoring import Evaluated, evaluate, evaluate_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "docs" / "sample-report"
NASTALIQ = "cbectool-Nastaliq"  # as the PDF names the embedded font: its CSS family
FSI, PDI = i18n.FIRST_STRONG_ISOLATE, i18n.POP_DIRECTIONAL_ISOLATE


@cache
def _evaluated(name: str) -> Evaluated:
    path = next((path for path in PERSONAS if path.stem == name), SAMPLES / f"{name}.json")
    return evaluate(load_response(path), resources.load())


@cache
def _pdf(name: str) -> PdfReader:
    return PdfReader(io.BytesIO(render_report_pdf(_evaluated(name), lang="ur")))


def _urdu_share(text: str) -> float:
    letters = [character for character in text if character.isalpha()]
    return sum(1 for character in letters if is_arabic_script(character)) / max(len(letters), 1)


# The HTML: fast -----------------------------------------------------------------------------------------


def test_an_urdu_report_is_a_right_to_left_document_with_its_stylesheet_and_urdu_words() -> None:
    html = render_report_html(_evaluated("not-ready"), lang="ur")
    assert '<html lang="ur" dir="rtl">' in html
    assert '<link rel="stylesheet" href="report-rtl.css">' in html
    assert i18n.gettext("How your scores are made", "ur") in html
    assert "How your scores are made" not in html
    assert "Page " not in html and "counter(page)" in html  # the page number's words are the catalogue's too
    english = render_report_html(_evaluated("not-ready"))
    assert '<html lang="en" dir="ltr">' in english and "report-rtl.css" not in english


def test_values_that_are_not_urdu_keep_their_own_order_inside_urdu_sentences() -> None:
    """A Latin name or a figure inside an Urdu sentence is isolated (first-strong isolate ... pop): "15 سال" stays
    itself, never "(سال 15)". Urdu values need nothing, and an English report gets no isolates at all."""
    evaluated = _evaluated("not-ready")
    named = Evaluated(
        evaluated.questionnaire,
        evaluated.response.model_copy(
            update={"business": evaluated.response.business.model_copy(update={"name": "Ali & Sons (Pvt.)"})}
        ),
        evaluated.answers,
        evaluated.assessment,
    )
    html = render_report_html(named, lang="ur")
    assert f"<h1>{FSI}Ali &amp; Sons (Pvt.){PDI}</h1>" in html
    context = build_context(named, lang="ur")
    first = context.top_steps[0]
    step = i18n.gettext("Step %(number)s: %(title)s", "ur") % {
        "number": f"{FSI}{first.priority}{PDI}",
        "title": first.title,
    }
    assert step in html  # the number isolated, the Urdu title not
    assert f"{FSI}{context.overall_score_text}{PDI}" in html
    assert FSI not in render_report_html(named)


def test_phases_and_ranges_are_said_in_words_not_with_a_dash() -> None:
    """ "Days 1–30" with a dash would read 30–1 right to left; Urdu says "دن 1 سے 30"."""
    context = build_context(_evaluated("not-ready"), lang="ur")
    assert [phase.title for phase in context.plan] == ["دن 1 سے 30", "دن 31 سے 60", "دن 61 سے 90"]
    assert context.direction == "rtl" and context.language == "ur"
    assert not any("–" in phase.title for phase in context.plan)


def test_the_radar_chart_of_an_urdu_report_is_mirrored() -> None:
    import base64

    chart = build_context(_evaluated("not-ready"), lang="ur").radar_chart
    svg = base64.b64decode(chart.split(",", 1)[1]).decode()
    english = base64.b64decode(build_context(_evaluated("not-ready")).radar_chart.split(",", 1)[1]).decode()
    assert 'text-anchor="end"' in svg and 'text-anchor="end"' not in english


# The PDFs: read back ------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", ["not-ready", "almost-ready", "gated"])
def test_every_page_of_an_urdu_report_is_urdu_drawn_in_the_embedded_nastaliq(name: str) -> None:
    reader = _pdf(name)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert _urdu_share(text) > 0.5, f"page {number}: {_urdu_share(text):.0%} of its letters are Urdu"
    drawn = drawn_by_font(render_report_pdf(_evaluated(name), lang="ur"))
    nastaliq = set().union(*(chars for font, chars in drawn.items() if font.startswith(NASTALIQ)))
    assert {"ک", "ی", "ہ", "ے", "۔"} <= nastaliq  # Urdu's own letters and full stop, from Nastaliq
    others = {font: {c for c in chars if is_arabic_script(c)} for font, chars in drawn.items()}
    assert not any(found for font, found in others.items() if not font.startswith(NASTALIQ)), others
    assert embedded_families(reader) >= {"Noto Nastaliq Urdu", "DejaVu Sans"}


def embedded_families(reader: PdfReader) -> set[str]:
    """The family names inside the font files the PDF embeds (not the names the PDF gives them)."""
    from fontTools.ttLib import TTFont

    families = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            data = descriptor["/FontFile2"].get_object().get_data()
            families.add(str(TTFont(io.BytesIO(data))["name"].getDebugName(1)))
    return families


@pytest.mark.slow
def test_an_urdu_report_reads_from_the_right_page_number_on_the_left_text_set_from_the_right() -> None:
    """In the PDF: the page number sits at the bottom left and the business's footer at the bottom right (the
    English report has them the other way round), and the lines of Urdu text are set from the right margin."""
    reader = _pdf("not-ready")
    page = reader.pages[2]
    width = float(page.mediabox.width)
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text))

    page.extract_text(visitor_text=visit)
    bottom = [(x, text) for x, y, text in found if y < 50]  # the bottom margin: footer and page number
    [(number_x, _)] = [(x, text) for x, text in bottom if str(len(reader.pages)) in text]
    [(footer_x, _)] = [(x, text) for x, text in bottom if "Khewra Salt Traders" in text]
    assert number_x < width / 4 < width / 3 < footer_x  # the footer runs from there to the right margin


@pytest.mark.slow
def test_the_plan_s_tick_boxes_and_a_list_s_marks_are_on_the_right_in_urdu_and_on_the_left_in_english() -> None:
    """Laid out (WeasyPrint's boxes, before the PDF): each plan row's tick box is right of its step in Urdu."""
    import weasyprint

    from cbectool.report.render import make_url_fetcher, template_roots

    roots = template_roots()

    def cells(lang: str) -> list[tuple[float, float]]:
        html = render_report_html(_evaluated("not-ready"), lang=lang)
        document = weasyprint.HTML(string=html, base_url=roots[0].as_uri() + "/", url_fetcher=make_url_fetcher(roots))
        rows: list[tuple[float, float]] = []

        def rows_of(box: object) -> None:
            element = getattr(box, "element", None)
            if element is not None and element.tag == "tr" and getattr(box, "element_tag", "") == "tr":
                tds = [cell for cell in box.children if cell.element.tag == "td"]  # type: ignore[attr-defined]
                if tds and "tick" in (tds[0].element.get("class") or ""):
                    rows.append((tds[0].position_x, tds[1].position_x))
            for child in getattr(box, "children", []):
                rows_of(child)

        def visit(box: object) -> None:
            element = getattr(box, "element", None)
            if element is not None and element.tag == "table" and element.get("class") == "plan":
                rows_of(box)
                return
            for child in getattr(box, "children", []):
                visit(child)

        for page in document.render().pages:
            visit(page._page_box)
        return rows

    urdu, english = cells("ur"), cells("en")
    assert len(urdu) == len(english) > 5
    assert all(tick > step for tick, step in urdu)
    assert all(tick < step for tick, step in english)


@pytest.mark.slow
@pytest.mark.parametrize("name", [path.stem for path in PERSONAS])
def test_persona_reports_in_urdu_keep_the_english_page_budget_and_type_sizes(name: str) -> None:
    reader = _pdf(name)
    assert len(reader.pages) <= PAGE_BUDGET
    sizes = printed_sizes(reader)
    assert min(sizes) >= SMALLEST_PT, sorted(sizes.items())
    assert sizes.most_common(1)[0][0] >= 10


@pytest.mark.slow
def test_the_cohort_summary_in_urdu_is_urdu_and_set_in_nastaliq() -> None:
    questionnaire = resources.load()
    stats = CohortStats.for_questionnaire(questionnaire)
    for row, path in enumerate(PERSONAS, start=2):
        evaluated = evaluate_file(path)
        stats.add(row, evaluated.response.business.name, evaluated.response.business.city or "", evaluated.assessment)
    pdf = render_summary_pdf(stats, questionnaire, lang="ur")
    reader = PdfReader(io.BytesIO(pdf))
    assert all(_urdu_share(page.extract_text()) > 0.4 for page in reader.pages)
    assert any(font.startswith(NASTALIQ) for font in drawn_by_font(pdf))
    assert min(printed_sizes(reader)) >= SMALLEST_PT
