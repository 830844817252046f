"""The one page-layout decision the report makes in Python: how much it keeps whole at its very end.

The rule the templates follow (report.css): after the cover nothing forces a page
break, and everything kept whole (a step, a table row, a heading with what follows
it) is far shorter than two thirds of a page. So a page that ends early is still more
than a third full. Only the last page could be nearly empty: the end of the report
is therefore one block kept whole, between a third and two thirds of a page: "How
your scores are made", with as many of the last glossary entries as keep it near
``END_TARGET_MM``. If that block does not fit below what comes before, it moves to a
new page, which it fills more than a third, and the page it leaves is more than a
third full, since less than two thirds of it were free.

Heights are estimated from the text (the full 172 mm width; DejaVu Sans at 10 pt for English,
Nastaliq at 10 pt with report-rtl.css's taller lines for Urdu): an error of a few lines moves the
block within its band, never out of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from cbectool.report.glossary import GlossaryEntry

PAGE_MM = 269.0  # A4's 297 mm less the top and bottom margins of report.css
ENTRY_GAP_MM = 1.2
HEADING_MM = 14.0  # "Glossary" with its rule and margins
END_TARGET_MM = 130.0  # about half a page: well inside a third (90 mm) to two thirds (179 mm)


@dataclass(frozen=True)
class TextMetrics:
    """How a language's text sets on the page, for the estimates above."""

    line_mm: float  # one line of body text
    chars_per_line: int  # across 172 mm, with room for words that do not fit at the end of a line
    end_block_mm: float  # "How your scores are made" alone, measured (six areas); the page tests check the outcome


LATIN = TextMetrics(line_mm=10 * 1.2 * 25.4 / 72, chars_per_line=86, end_block_mm=106.0)
NASTALIQ = TextMetrics(line_mm=10 * 1.8 * 25.4 / 72, chars_per_line=132, end_block_mm=120.0)
"""Urdu (report-rtl.css): Nastaliq at 10 pt, a glossary entry's line height 1.8; the characters a line holds
and the final block measured on the persona reports (glossary definitions, six areas)."""


def kept_with_end(glossary: Sequence[GlossaryEntry], metrics: TextMetrics = LATIN) -> int:
    """How many of the last glossary entries go into the final block kept whole."""
    room = END_TARGET_MM - metrics.end_block_mm
    kept = 0
    for entry in reversed(glossary):
        lines = math.ceil(len(f"{entry.term}: {entry.definition}") / metrics.chars_per_line)
        height = lines * metrics.line_mm + ENTRY_GAP_MM
        if kept + 1 == len(glossary):
            height += HEADING_MM
        if height > room:
            break
        room -= height
        kept += 1
    return kept
