"""Every text of the bundled questionnaire has Urdu, written as docs/urdu.md decides.

docs/urdu.md is the single source: its glossary table says how each term is
rendered (Latin or Urdu script), its conventions say how figures are written
(Western digits, rupees in lakh, percentages in فیصد, Urdu month names). These
tests parse that page and hold every Urdu text to it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cbectool import resources
from cbectool.questionnaire import Questionnaire
from cbectool.translations import TextEntry, placeholders, texts

URDU_DOC = Path(__file__).resolve().parent.parent / "docs" / "urdu.md"


@dataclass(frozen=True)
class Term:
    forms: tuple[str, ...]  # English forms
    urdu: str  # what the Urdu text must contain
    latin: bool


@cache
def glossary() -> tuple[Term, ...]:
    """The rows of every table under '## Glossary' in docs/urdu.md."""
    section = URDU_DOC.read_text(encoding="utf-8").split("\n## Glossary\n", 1)[1].split("\n## ", 1)[0]
    terms = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("English", "") or set(cells[0]) <= {"-", " "}:
            continue
        assert cells[2] in ("Latin", "Urdu"), line
        terms.append(Term(tuple(form.strip() for form in cells[0].split(",")), cells[1], cells[2] == "Latin"))
    return tuple(terms)


def _pattern(form: str) -> re.Pattern[str]:
    flags = 0 if any(char.isupper() for char in form) else re.IGNORECASE
    if not form[-1].isalnum():  # US$5,000: a symbol ends the term
        return re.compile(rf"(?<![\w-]){re.escape(form)}", flags)
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?:s|es)?(?:'s|')?(?![\w-])", flags)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], Term], ...]:
    forms = sorted(((form, term) for term in glossary() for form in term.forms), key=lambda pair: -len(pair[0]))
    return tuple((_pattern(form), term) for form, term in forms)


def terms_in(english: str) -> list[tuple[str, Term]]:
    """The glossary terms an English text uses, longest first, never two on the same words."""
    taken: list[tuple[int, int]] = []
    found = []
    for pattern, term in _patterns():
        for match in pattern.finditer(english):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            taken.append(match.span())
            found.append((match.group(), term))
    return found


@cache
def _bundled() -> Questionnaire:
    return resources.load(resources.DEFAULT_QUESTIONNAIRE)


@cache
def urdu_texts() -> tuple[TextEntry, ...]:
    return tuple(texts(_bundled(), "ur"))


def test_the_bundled_questionnaire_declares_urdu() -> None:
    assert _bundled().languages == ("en", "ur")


def test_every_owner_facing_text_has_urdu() -> None:
    missing = [entry.id for entry in urdu_texts() if not entry.translation.strip()]
    assert missing == []
    assert len(urdu_texts()) > 600  # every text: questions, choices, help, levels, gates, actions


def test_the_glossary_is_parsed_and_decides_each_term_once() -> None:
    forms = [form.casefold() for term in glossary() for form in term.forms]
    assert len(glossary()) > 150
    assert len(forms) == len(set(forms)), sorted({form for form in forms if forms.count(form) > 1})
    assert {"NTN", "FBR", "WeBOC", "PSW", "HS", "PCT", "Payoneer", "Alibaba.com", "Incoterm"} <= {
        form for term in glossary() for form in term.forms
    }


def test_glossary_terms_are_rendered_as_the_glossary_says() -> None:
    wrong = [
        f"{entry.id}: '{word}' needs '{term.urdu}'"
        for entry in urdu_texts()
        for word, term in terms_in(entry.english)
        if term.urdu not in entry.translation
    ]
    assert wrong == []


ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
LATIN_WORD = re.compile(r"[A-Za-z](?:[A-Za-z0-9@.&'-]*[A-Za-z0-9])?\$?")
WEB_ADDRESS = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:pk|com|org|gov)\b")


def _latin_words_allowed() -> set[str]:
    return {word for term in glossary() for word in LATIN_WORD.findall(term.urdu)}


def _without_its_web_addresses(entry: TextEntry) -> str:
    """The Urdu without the web addresses its English has (they stay in Latin letters)."""
    return WEB_ADDRESS.sub(lambda match: "" if match.group() in entry.english else match.group(), entry.translation)


def test_urdu_texts_are_in_arabic_script_but_for_the_glossary_s_latin_terms() -> None:
    allowed = _latin_words_allowed()
    names = {term.urdu for term in glossary() if term.latin}
    problems = []
    for entry in urdu_texts():
        urdu = _without_its_web_addresses(entry)
        problems += [
            f"{entry.id}: '{word}' is not a glossary term" for word in LATIN_WORD.findall(urdu) if word not in allowed
        ]
        # Written in Urdu, not copied: only a name kept in Latin (a choice "Amazon") may stand alone.
        if not ARABIC_SCRIPT.search(urdu) and entry.translation not in names:
            problems.append(f"{entry.id}: no Urdu letters")
    assert problems == []


def test_urdu_uses_urdu_letters_western_digits_and_urdu_punctuation() -> None:
    rules = {
        r"[\u0643\u064a\u0649\u0647]": "an Arabic ك ي ى or ه where Urdu has ک ی ہ",
        r"[\u06f0-\u06f9\u0660-\u0669]": "Urdu or Arabic digits (docs/urdu.md: 0-9)",
        r"[\u0600-\u06ff][.,?;]": "a Latin . , ? or ; after Urdu (۔ ، ؟ ؛)",
    }
    problems = [
        f"{entry.id}: {problem}"
        for entry in urdu_texts()
        for rule, problem in rules.items()
        if re.search(rule, entry.translation)
    ]
    problems += [
        f"{entry.id}: not NFC, or spaces not even"
        for entry in urdu_texts()
        if entry.translation != " ".join(unicodedata.normalize("NFC", entry.translation).split())
    ]
    assert problems == []


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
AMOUNT = re.compile(r"(?:US\$|€)\d[\d,]*")
RUPEES = re.compile(r"Rs (\d+) million")
PERCENT = re.compile(r"(\d+)%")
FIGURE = re.compile(r"(?<![\w.,/$€-])\d+(?:[.,/-]\d+)*(?!\w|[.,/-]\d)")


def expected_figures(english: str) -> list[str]:
    """What the Urdu must contain for the figures of an English text, under docs/urdu.md's conventions."""
    expected = []
    for match in RUPEES.finditer(english):
        expected.append(f"{int(match.group(1)) * 10} لاکھ روپے")
    english = RUPEES.sub(" ", english)
    expected += AMOUNT.findall(english)
    english = AMOUNT.sub(" ", english)
    for match in PERCENT.finditer(english):
        expected.append(f"{match.group(1)} فیصد")
    english = PERCENT.sub(" ", english)
    for match in re.finditer(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\b", english):
        urdu_month = next(term.urdu for term in glossary() if term.forms == (match.group(2),))
        expected.append(f"{match.group(1)} {urdu_month} {match.group(3)}")
    english = re.sub(r"\b[A-Za-z]+\d\w*", " ", english)  # B2B, B2C: terms, not figures
    expected += FIGURE.findall(english)
    return expected


def test_figures_amounts_dates_and_web_addresses_are_kept() -> None:
    missing = []
    for entry in urdu_texts():
        kept = [figure for figure in expected_figures(entry.english) if not _has_figure(entry.translation, figure)]
        kept += [address for address in WEB_ADDRESS.findall(entry.english) if address not in entry.translation]
        kept += sorted(placeholders(entry.english) - placeholders(entry.translation))
        missing += [f"{entry.id}: '{each}' is missing" for each in kept]
    assert missing == []


def _has_figure(urdu: str, figure: str) -> bool:
    if not figure[0].isdigit():
        return figure in urdu
    return re.search(rf"(?<![\d.,/-]){re.escape(figure)}(?![\d]|[.,/-]\d)", urdu) is not None


def test_the_figure_rules_read_english_as_docs_urdu_md_says() -> None:
    assert expected_figures("sales above Rs 1 million a year") == ["10 لاکھ روپے"]
    assert expected_figures("50% or US$5,000 a month") == ["US$5,000", "50 فیصد"]
    assert expected_figures("Since 26 May 2021 the EU's MDR (Regulation 2023/915) applies") == [
        "26 مئی 2021",
        "26",
        "2021",
        "2023/915",
    ]
    assert expected_figures("B2B and B2C, 8-digit PCT, 2022-23 budget, 1,000 pieces") == ["8", "2022-23", "1,000"]
