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

Heights are estimated from the text (DejaVu Sans at 10 pt, the full 172 mm width):
an error of a few lines moves the block within its band, never out of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from cbectool.report.glossary import GlossaryEntry

PAGE_MM = 269.0  # A4's 297 mm less the top and bottom margins of report.css
LINE_MM = 10 * 1.2 * 25.4 / 72  # 10 pt type, 1.2 line height
CHARS_PER_LINE = 86  # English at 10 pt across 172 mm, with room for words that do not fit at the end of a line
ENTRY_GAP_MM = 1.2
HEADING_MM = 14.0  # "Glossary" with its rule and margins
END_BLOCK_MM = 106.0  # "How your scores are made" alone, measured (six areas); the page tests check the outcome
END_TARGET_MM = 130.0  # about half a page: well inside a third (90 mm) to two thirds (179 mm)


def kept_with_end(glossary: Sequence[GlossaryEntry]) -> int:
    """How many of the last glossary entries go into the final block kept whole."""
    room = END_TARGET_MM - END_BLOCK_MM
    kept = 0
    for entry in reversed(glossary):
        height = math.ceil(len(f"{entry.term}: {entry.definition}") / CHARS_PER_LINE) * LINE_MM + ENTRY_GAP_MM
        if kept + 1 == len(glossary):
            height += HEADING_MM
        if height > room:
            break
        room -= height
        kept += 1
    return kept
