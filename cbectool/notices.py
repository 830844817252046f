"""Warnings: what a command tells besides its result, one line each, repeated kinds on one line with a count.

A sheet without 12 of its questions' columns, or a draft with 9 answers that no
longer fit, must not bury the result under a screen of lines. Code that finds a
problem about one item of many gives a ``Notice``; ``summarize`` turns the
notices of one kind into one line ("no column for 12 questions: a, b, c, ...").
Plain strings are warnings of their own (repeats of the same line are shown once).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

ITEMS_SHOWN = 8
"""Items named on a grouped line; the rest are counted."""
MORE = "…"


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning about one ``item``: ``text`` when it is the only one of its ``kind``; ``grouped`` (with
    ``{count}`` and ``{items}``) says all of that kind at once."""

    kind: str
    item: str
    text: str
    grouped: str

    def __str__(self) -> str:
        return self.text


AnyWarning = str | Notice


def summarize(warnings: Iterable[AnyWarning]) -> list[str]:
    """One line per warning, and one per kind of notice, in the order they first came."""
    places: dict[tuple[bool, str], None] = {}  # (a kind?, the line or the kind), in order of first coming
    kinds: dict[str, list[Notice]] = {}
    for warning in warnings:
        if isinstance(warning, Notice):
            places[True, warning.kind] = None
            kinds.setdefault(warning.kind, []).append(warning)
        else:
            places[False, warning] = None
    return [_kind_line(kinds[key]) if is_kind else key for is_kind, key in places]


def _kind_line(notices: list[Notice]) -> str:
    items = list(dict.fromkeys(notice.item for notice in notices))
    if len(items) == 1:
        return notices[0].text
    named = ", ".join(items[:ITEMS_SHOWN]) + (f", {MORE}" if len(items) > ITEMS_SHOWN else "")
    return notices[0].grouped.format(count=len(items), items=named)


_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Control characters (a tab aside), line and paragraph separators, and the bidi embeddings and overrides
that can make text read in another order."""


def printable(text: str) -> str:
    """Text from a file, safe in a one-line message: what would break the line, move the cursor or reorder
    the text is shown as an escape (``\\n``, ``\\x1b``, ``\\u202e``)."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)
