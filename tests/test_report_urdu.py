"""Urdu in the PDFs: every letter is drawn, by a font that has it.

DejaVu Sans, the body font, lacks ہ ے ۔ (three of the commonest marks in Urdu), so
an Urdu business name used to print with empty boxes. The templates now ship
Noto Naskh Arabic for Arabic script only. These tests read the PDFs back: which
characters each embedded font draws (its ToUnicode map), and the font files'
own character maps.
"""

from __future__ import annotations

import io
import json
import re
import statistics
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from cbectool import resources
from cbectool.cohort.stats import CohortStats
from cbectool.cohort.summary import render_summary_pdf
from cbectool.questionnaire import Questionnaire
from cbectool.report import render_report_pdf
from cbectool.response import parse_response
from cbectool.scoring import Evaluated, assess, evaluate, evaluate_file, validate_answers

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "responses" / "sample-sialkot.json"
STARTER = DATA / "questionnaires" / "starter.yaml"

URDU_LETTERS = "ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیےۓئؤآأۃۂ"
URDU_MARKS = "۰۱۲۳۴۵۶۷۸۹،۔؟"
NAME = "کراچی ٹیکسٹائل ہاؤس"
NASKH = "cbectool-Naskh"


def is_arabic_script(character: str) -> bool:
    point = ord(character)
    return 0x0600 <= point <= 0x06FF or 0x0750 <= point <= 0x077F or 0xFB50 <= point <= 0xFEFF


def drawn_by_font(pdf: bytes) -> dict[str, set[str]]:
    """For each font embedded in the PDF (subset prefix dropped), the characters it draws."""
    drawn: dict[str, set[str]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            drawn.setdefault(name, set()).update(_mapped_characters(cmap))
    return drawn


def _mapped_characters(cmap: str) -> set[str]:
    characters: set[str] = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for target in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block):
            characters.update(bytes.fromhex(target).decode("utf-16-be"))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for start, end, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = ord(bytes.fromhex(target).decode("utf-16-be")[0])
            characters.update(chr(first + offset) for offset in range(int(end, 16) - int(start, 16) + 1))
    return characters


def assert_arabic_script_only_in_naskh(pdf: bytes, expected: str) -> None:
    drawn = drawn_by_font(pdf)
    naskh = set().union(*(characters for name, characters in drawn.items() if name.startswith(NASKH)))
    elsewhere = {
        name: {c for c in characters if is_arabic_script(c)}
        for name, characters in drawn.items()
        if not name.startswith(NASKH)
    }
    assert {c for c in expected if is_arabic_script(c)} <= naskh
    assert not any(elsewhere.values()), elsewhere


def assert_urdu_as_large_as_latin(pdf: bytes) -> None:
    """The Urdu face embedded in the PDF (read back from it) has letters as large as the Latin ones."""
    from cbectool.system import DEJAVU_FOLDERS

    x_height = _heights(next(f / DEJAVU["Regular"] for f in DEJAVU_FOLDERS if (f / DEJAVU["Regular"]).is_file()), "x")
    embedded = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if str(font["/BaseFont"]).split("+", 1)[-1].startswith(NASKH):
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                embedded.append(TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data())))
    assert embedded
    for font in embedded:
        cmap, glyphs, units = font.getBestCmap(), font["glyf"], font["head"].unitsPerEm
        bodies = [glyphs[cmap[ord(c)]].yMax / units for c in BODY_LETTERS if ord(c) in cmap]
        assert bodies, "the name has letters without ascenders"
        assert statistics.median(bodies) >= 0.75 * x_height[0]


def with_name(name: str) -> Evaluated:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["business"]["name"] = name
    return evaluate(parse_response(data, "test"), resources.load(str(STARTER)))


def font_files(family: str) -> list[str]:
    """The font files fonts.css gives to ``family`` (regular and bold)."""
    css = (resources.templates_dir() / "fonts.css").read_text(encoding="utf-8")
    faces = re.findall(r"@font-face\s*\{(.*?)\}", css, re.S)
    return [
        file
        for face in faces
        if f'font-family: "{family}"' in face
        for file in re.findall(r'url\("fonts/([^"]+)"\)', face)
    ]


def naskh_files() -> list[str]:
    return font_files("cbectool Naskh")


@pytest.mark.parametrize("file_name", naskh_files())
def test_the_bundled_font_has_every_urdu_letter_digit_and_mark(file_name: str) -> None:
    font = TTFont(resources.templates_dir() / "fonts" / file_name)
    cmap = font.getBestCmap()
    assert [c for c in URDU_LETTERS + URDU_MARKS if ord(c) not in cmap] == []


DEJAVU = {"Regular": "DejaVuSans.ttf", "Bold": "DejaVuSans-Bold.ttf"}
BODY_LETTERS = "سصمورنبدہے"  # letters with neither ascender nor descender above the line: like Latin x
TALL_LETTERS = "الک"  # alif, lam, kaf: like Latin ascenders


def _heights(path: Path, letters: str) -> list[float]:
    """How far each letter reaches above the baseline, in ems of the font size it is set in."""
    font = TTFont(path)
    cmap, glyphs, units = font.getBestCmap(), font["glyf"], font["head"].unitsPerEm
    return [glyphs[cmap[ord(letter)]].yMax / units for letter in letters]


@pytest.mark.parametrize("file_name", naskh_files())
def test_urdu_letters_are_as_large_as_the_latin_beside_them(file_name: str) -> None:
    """Set at the same size, Naskh's letter bodies used to be 0.35 em against DejaVu's x-height of 0.55 em:
    an Urdu name printed visibly smaller. Sized so that its letter body is at least 3/4 of the x-height
    (an Arabic letter body sits lower than a Latin x) and its tall letters at most 15% above Latin ascenders."""
    from cbectool.system import DEJAVU_FOLDERS

    weight = "Bold" if "Bold" in file_name else "Regular"
    dejavu = next(folder / DEJAVU[weight] for folder in DEJAVU_FOLDERS if (folder / DEJAVU[weight]).is_file())
    x_height = _heights(dejavu, "x")[0]
    ascender = _heights(dejavu, "d")[0]
    naskh = resources.templates_dir() / "fonts" / file_name
    assert statistics.median(_heights(naskh, BODY_LETTERS)) >= 0.75 * x_height
    assert max(_heights(naskh, TALL_LETTERS)) <= 1.15 * ascender


def test_an_urdu_business_name_is_drawn_whole_in_the_urdu_font_as_large_as_latin() -> None:
    name = f"{NAME} {URDU_LETTERS} ۱۲۳۔"
    pdf = render_report_pdf(with_name(name))

    assert_arabic_script_only_in_naskh(pdf, name)
    assert_urdu_as_large_as_latin(pdf)
    cover = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert NAME in cover


def test_an_english_report_uses_no_urdu_font() -> None:
    drawn = drawn_by_font(render_report_pdf(evaluate_file(SAMPLE, str(STARTER))))

    assert drawn, "the PDF embeds fonts"
    assert not any(name.startswith(NASKH) for name in drawn), sorted(drawn)


def test_a_mixed_name_keeps_latin_in_the_body_font() -> None:
    pdf = render_report_pdf(with_name(f"Bismillah Traders {NAME}"))

    assert_arabic_script_only_in_naskh(pdf, NAME)
    naskh = set().union(*(c for name, c in drawn_by_font(pdf).items() if name.startswith(NASKH)))
    assert not set("BismillahTraders") & naskh


def test_the_cohort_summary_shortlists_an_urdu_name_in_the_urdu_font_as_large_as_latin(
    starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    stats = CohortStats.for_questionnaire(starter)
    stats.add(2, NAME, "لاہور", assess(starter, validate_answers(starter, starter_answers)))

    pdf = render_summary_pdf(stats, starter)

    assert_arabic_script_only_in_naskh(pdf, NAME)
    assert_urdu_as_large_as_latin(pdf)
