"""The interface's own words in the owner's language: one gettext message catalogue per language.

Questionnaire texts carry their translations in the questionnaire (``text.localize``); every other
text an owner reads (the interview's prompts and messages, the report's and the cohort summary's
headings and fixed sentences, workshop mode's pages, refused answers) is an English message here,
translated by the catalogue ``cbectool/locale/LANG/LC_MESSAGES/cbectool.po``. ``scripts/messages.py``
extracts the messages with Babel and compiles the ``.mo`` files, which ship inside the wheel;
at run time only the standard library's ``gettext`` reads them (a few milliseconds, once).

Messages are marked for extraction where they are written: ``N_("...")`` in Python (it returns the
English; ``translate`` looks it up), ``{{ _("...") }}`` and ``{% trans %}`` in templates. Values
are filled in after translation, ``{name}`` in Python and ``%(name)s`` in templates, so a
translation may put them where its grammar wants them.
"""

from __future__ import annotations

import gettext as _gettext
import unicodedata
from functools import cache
from pathlib import Path

DOMAIN = "cbectool"
LOCALE_DIR = Path(__file__).parent / "locale"
RIGHT_TO_LEFT = frozenset({"ar", "bal", "fa", "ps", "sd", "skr", "ur"})
"""Languages written right to left (their first subtag): Urdu and its neighbours in Arabic script."""
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (it is translated where it is shown)."""
    return message


@cache
def catalogue(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``lang``; English, or a language without one, keeps the English."""
    if lang == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def interface_languages() -> tuple[str, ...]:
    """English and every language the interface has a catalogue for."""
    found = sorted(path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return ("en", *(code for code in found if code != "en"))


def gettext(message: str, lang: str) -> str:
    return catalogue(lang).gettext(message)


def ngettext(singular: str, plural: str, count: int, lang: str) -> str:
    return catalogue(lang).ngettext(singular, plural, count)


def pgettext(context: str, message: str, lang: str) -> str:
    return catalogue(lang).pgettext(context, message)


def translate(message: str, lang: str, **values: object) -> str:
    """``message`` (an ``N_`` text) in ``lang`` with its ``{placeholders}`` filled."""
    return gettext(message, lang).format(**values)


def is_right_to_left(lang: str) -> bool:
    return lang.split("-")[0] in RIGHT_TO_LEFT


def direction(lang: str) -> str:
    """``rtl`` or ``ltr``: the ``dir`` of a document in ``lang``."""
    return "rtl" if is_right_to_left(lang) else "ltr"


def has_right_to_left(text: str) -> bool:
    """Whether ``text`` has a letter of a right-to-left script (Arabic, Urdu, Hebrew...); not just its punctuation."""
    return any(unicodedata.bidirectional(character) in ("R", "AL") for character in text)


def isolate(text: str) -> str:
    """``text`` between Unicode's first-strong isolate and its end: inside a right-to-left sentence a
    Latin name, ``1-30`` or ``57.5/100`` keeps its own order (and a right-to-left name in a
    left-to-right sentence keeps its). Used for the values filled into right-to-left messages."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
