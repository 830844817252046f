"""Text that can be written in more than one language.

A questionnaire writes ``text: Do you have an NTN?`` today and can write
``text: {en: Do you have an NTN?, ur: ...}`` later without a change of structure.
English is the fallback every translation must provide.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

DEFAULT_LANGUAGE = "en"

LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")]


def _has_english(value: str | dict[str, str]) -> str | dict[str, str]:
    if isinstance(value, dict):
        if DEFAULT_LANGUAGE not in value:
            raise ValueError(f"needs an '{DEFAULT_LANGUAGE}' (English) text")
        if not all(text.strip() for text in value.values()):
            raise ValueError("must not be empty")
    elif not value.strip():
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
