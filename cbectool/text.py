"""Text that can be written in more than one language.

A questionnaire writes ``text: Do you have an NTN?`` today and can write
``text: {en: Do you have an NTN?, ur: ...}`` later without a change of structure.
English is the fallback every translation must provide.
"""

from __future__ import annotations

from typing import Annotated, Protocol

from pydantic import AfterValidator, Field

from cbectool.errors import CbecError

DEFAULT_LANGUAGE = "en"

LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")]


class Texts(dict[str, str]):
    """One text in several languages. Hashable, like the frozen models that hold it (a plain dict
    would make ``hash(question)`` fail, and with it sets and caches of questions and choices)."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))


def _has_english(value: str | dict[str, str]) -> str | dict[str, str]:
    if isinstance(value, dict):
        if DEFAULT_LANGUAGE not in value:
            raise ValueError(f"needs an '{DEFAULT_LANGUAGE}' (English) text")
        if not all(text.strip() for text in value.values()):
            raise ValueError("must not be empty")
        return Texts(value)
    if not value.strip():
        raise ValueError("must not be empty")
    return value


LocalizedText = Annotated[str | dict[LanguageCode, str], AfterValidator(_has_english)]


def localize(value: str | dict[str, str] | None, language: str = DEFAULT_LANGUAGE) -> str:
    """The text in ``language``, falling back to English; '' for no text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get(language) or value[DEFAULT_LANGUAGE]


class Translated(Protocol):
    """What ``require_language`` needs of a questionnaire."""

    @property
    def id(self) -> str: ...

    @property
    def languages(self) -> tuple[str, ...]: ...


def known_languages(*questionnaires: Translated) -> list[str]:
    """English, then every language the questionnaires have texts in."""
    return list(dict.fromkeys([DEFAULT_LANGUAGE, *(code for each in questionnaires for code in each.languages)]))


def language_for(chosen: str | None, recorded: str | None, questionnaire: Translated, source: str) -> str:
    """The language of what is made from a response: ``--lang`` if given, else the language the response
    records (the owner's), else English. A recorded language the questionnaire has no texts in is an error
    naming the file, never silently English."""
    if chosen is not None:
        require_language(chosen, questionnaire)
        return chosen
    if recorded is None:
        return DEFAULT_LANGUAGE
    known = known_languages(questionnaire)
    if recorded not in known:
        raise CbecError(
            f"{source}: language: '{recorded}': questionnaire {questionnaire.id} has no texts in it; "
            f"it has: {', '.join(known)} (choose one with --lang)"
        )
    return recorded


def require_language(language: str, *questionnaires: Translated) -> None:
    """Refuse a ``--lang`` that the questionnaires have no texts in (English, the fallback, is always in).

    Without this check an unknown code such as ``xx`` would silently give English.
    """
    known = known_languages(*questionnaires)
    if language in known:
        return
    if len(questionnaires) == 1:
        problem, present = f"questionnaire {questionnaires[0].id} has no texts", "it has"
    else:
        problem, present = "no bundled questionnaire has texts", "they have"
    raise CbecError(f"--lang {language}: {problem} in '{language}'; {present}: {', '.join(known)}")
