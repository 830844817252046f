"""Warnings: what a command tells besides its result, one line each, repeated kinds on one line with a count.

A sheet without 12 of its questions' columns, or a draft with 9 answers that no
longer fit, must not bury the result under a screen of lines. Code that finds a
problem about one item of many gives a ``Notice``; ``summarize`` turns the
notices of one kind into one line ("no column for 12 questions: a, b, c, ...").
Plain strings are warnings of their own (repeats of the same line are shown once).
"""

from __future__ import annotations

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
