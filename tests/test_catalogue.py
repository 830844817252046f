"""The interface's message catalogues (issue 13): every owner-facing message is in them, and the Urdu is complete
and written as docs/urdu.md decides.

The messages are extracted afresh with Babel from the code and the templates (``scripts/messages.py``, the
same extraction a developer runs), so a message added without a translation fails here, as does a
compiled ``.mo`` that is older than its ``.po``.
"""

from __future__ import annotations

import copy
import re
import sys
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from test_urdu_texts import ARABIC_SCRIPT, LATIN_WORD, URDU_DOC, Term, _pattern, glossary

from cbectool import i18n, resources
from cbectool.interview.flow import Interview
from cbectool.interview.terminal import TEXTS, text
from cbectool.web import messages as web_messages

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import messages  # noqa: E402 (scripts/messages.py: the catalogue tool)

PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)s|%%")
MARKUP = re.compile(r"</?[a-z]+>")
FILE_NAME = re.compile(r"\b[\w-]+\.(?:csv|pdf|json)\b|\banswers\.(?=\{question\})")
COMMAND = re.compile(r"(?:\{cbectool\}|cbectool) [a-z-]+(?: --[a-z-]+(?: [A-Z]+| [a-z]{2})?)*")


@cache
def template() -> Catalog:
    return messages.extract()


@cache
def catalogue_urdu() -> list[tuple[str, str]]:
    """(English, Urdu) for every message and plural form of the Urdu catalogue."""
    pairs = []
    for message in messages.read("ur"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(ids[min(index, len(ids) - 1)], string) for index, string in enumerate(strings)]
    return pairs


@cache
def interface_terms() -> tuple[Term, ...]:
    """The table of docs/urdu.md's "The interface's own words"."""
    section = URDU_DOC.read_text(encoding="utf-8").split("\n## The interface's own words\n", 1)[1].split("\n## ", 1)[0]
    terms = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[2] in ("Latin", "Urdu"):
            terms.append(Term(tuple(form.strip() for form in cells[0].split(",")), cells[1], cells[2] == "Latin"))
    return tuple(terms)


OTHER_SENSES = re.compile(r"\b(?:in|the|their|sheet|wrong) order\b")
"""English words of the interface in another sense than the glossary's: 'in order', 'the order of' is a sequence
(ترتیب), not a buyer's order (آرڈر)."""


def _words(english: str) -> str:
    """The English a term may be found in: without placeholders, file names, command lines and other senses."""
    for pattern in (COMMAND, FILE_NAME, PLACEHOLDER, MARKUP, OTHER_SENSES):
        english = pattern.sub(" ", english)
    return english


def test_every_message_of_the_interface_is_in_the_urdu_catalogue_translated_and_compiled() -> None:
    assert len(template()) > 300  # the interview, the report, the cohort summary, the workshop pages
    assert list(messages.problems("ur", template())) == []


def test_the_extraction_finds_each_kind_of_owner_facing_message() -> None:
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in template()}
    assert {
        "This question needs an answer.",  # interview/flow.py: refusals and hints
        "What is the name of your business?",  # the profile's questions
        "Press Enter to start: ",  # interview/terminal.py
        "What holds you back",  # the result screen
        "Step %(number)s: %(title)s",  # report.html.j2
        "How to read this summary",  # cohort-summary.html.j2
        "Finish and see my result",  # the workshop pages
        "National Tax Number: the tax registration number that FBR gives a person or a business. "
        "Exporters need it, for example to register with customs and banks.",  # the report's glossary
    } <= ids


def test_an_untranslated_message_is_found() -> None:
    """The check itself: a new message in the code, an empty or fuzzy translation, a lost placeholder."""
    fresh = copy.deepcopy(template())
    fresh.add("A message nobody has translated yet.")
    found = list(messages.problems("ur", fresh))
    assert found == [
        "ur: not in the catalogue (run scripts/messages.py update): 'A message nobody has translated yet.'"
    ]
    catalog = messages.read("ur")
    catalog["Your result"].string = ""
    catalog["Score: {score} out of 100"].string = "اسکور"
    catalog["Back"].flags.add("fuzzy")
    found = list(messages.problems("ur", template(), catalog))
    assert "ur: not translated: 'Your result'" in found
    assert "ur: placeholders differ from the English ['{score}']: 'Score: {score} out of 100'" in found
    assert "ur: fuzzy, to be checked: 'Back'" in found


def test_urdu_messages_use_urdu_letters_western_digits_and_urdu_punctuation() -> None:
    rules = {
        r"[\u0643\u064a\u0649\u0647]": "an Arabic ك ي ى or ه where Urdu has ک ی ہ",
        r"[\u06f0-\u06f9\u0660-\u0669]": "Urdu or Arabic digits (docs/urdu.md: 0-9)",
        r"[\u0600-\u06ff][.,?;]": "a Latin . , ? or ; after Urdu (۔ ، ؟ ؛)",
        r"[\u064c-\u065f\u0670]": "a diacritic: docs/urdu.md uses none (the tanween of مثلاً is spelling)",
    }
    problems = [
        f"{english!r}: {problem}"
        for english, urdu in catalogue_urdu()
        for rule, problem in rules.items()
        if re.search(rule, urdu)
    ]
    problems += [
        f"{english!r}: not NFC" for english, urdu in catalogue_urdu() if urdu != unicodedata.normalize("NFC", urdu)
    ]
    assert problems == []


def test_urdu_messages_are_in_urdu_but_for_the_glossary_s_latin_terms_and_what_is_typed() -> None:
    allowed = {word for term in (*glossary(), *interface_terms()) for word in LATIN_WORD.findall(term.urdu)}
    problems = []
    for english, urdu in catalogue_urdu():
        kept = PLACEHOLDER.sub(" ", MARKUP.sub(" ", COMMAND.sub(" ", FILE_NAME.sub(" ", urdu))))
        kept = re.sub(r"(?<![\w-])[ynbpN?](?![\w-])", " ", kept)  # typed at the prompt: y, n, b, p, ?; "step N"
        problems += [f"{english!r}: '{word}'" for word in LATIN_WORD.findall(kept) if word not in allowed]
        words_only = PLACEHOLDER.sub("", MARKUP.sub("", english)).strip(" .,:;()·–—-")
        if words_only and not ARABIC_SCRIPT.search(urdu) and urdu.strip() != english.strip() and re.search(r"\w", urdu):
            problems.append(f"{english!r}: no Urdu letters")  # only a name, a figure or a sign (—) may stand alone
    assert problems == []


@pytest.mark.parametrize("table", ["glossary", "interface"])
def test_terms_are_rendered_as_docs_urdu_md_says(table: str) -> None:
    terms = glossary() if table == "glossary" else interface_terms()
    patterns = sorted(((form, term) for term in terms for form in term.forms), key=lambda pair: -len(pair[0]))
    wrong = []
    for english, urdu in catalogue_urdu():
        words = _words(english)
        taken: list[tuple[int, int]] = []
        for form, term in patterns:
            for match in _pattern(form).finditer(words):
                if any(start < match.end() and match.start() < end for start, end in taken):
                    continue
                taken.append(match.span())
                if term.urdu not in urdu:
                    wrong.append(f"{english!r}: '{match.group()}' needs '{term.urdu}'")
    assert wrong == []


def test_the_interface_speaks_urdu_where_it_is_asked_to_and_english_otherwise() -> None:
    questionnaire = resources.load()
    interview = Interview(questionnaire, lang="ur")
    prompt = interview.prompt()
    assert (
        prompt.text == i18n.gettext("What is the name of your business?", "ur") != "What is the name of your business?"
    )
    assert ARABIC_SCRIPT.search(prompt.hint)
    assert Interview(questionnaire).prompt().text == "What is the name of your business?"
    assert ARABIC_SCRIPT.search(text("welcome_title", "ur")) and text("welcome_title", "en") == "Export readiness check"
    assert all(ARABIC_SCRIPT.search(web_messages.text(key, "ur")) for key in ("next", "back", "finish"))
    assert set(TEXTS) and i18n.interface_languages() == ("en", "ur")


def test_catalogues_are_found_by_package_not_by_the_working_directory() -> None:
    assert Path(i18n.__file__).parent / "locale" == i18n.LOCALE_DIR
    assert (i18n.LOCALE_DIR / "ur" / "LC_MESSAGES" / "cbectool.mo").is_file()
