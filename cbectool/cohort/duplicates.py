"""Business names that more than one row of a cohort gives.

Two businesses may share a name, so both rows are kept and scored; but a
trainer must hear of it (two reports, ``Name.pdf`` and ``Name-2.pdf``, and the
name twice in the summary), because it is more often one business entered twice.
Names are compared as people read them: without case or extra spaces.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from cbectool.notices import Notice

SHOWN = 20
"""Names listed in the summary; the rest are counted."""
ROWS_SHOWN = 10
"""Rows listed for one name; the rest are counted."""

TEXT = "rows {rows} have the same business name, '{name}'; both are kept and scored (two businesses may share a name)"
GROUPED = (
    "{count} business names are on more than one row: {items}; all rows are kept and scored "
    "(two businesses may share a name)"
)
ITEM = "'{name}' (rows {rows})"


@dataclass(frozen=True, slots=True)
class DuplicateName:
    name: str  # as one of its rows writes it
    rows: tuple[int, ...]  # in sheet order

    @property
    def rows_text(self) -> str:
        """``3 and 7``, ``3, 7 and 9``; ``3, 7, ... and 40 more`` for a name on very many rows."""
        numbers = [str(row) for row in self.rows[:ROWS_SHOWN]]
        more = len(self.rows) - len(numbers)
        if more:
            return f"{', '.join(numbers)} and {more} more"
        return numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"

    def notice(self) -> Notice:
        rows = self.rows_text
        return Notice(
            "duplicate_name", ITEM.format(name=self.name, rows=rows), TEXT.format(rows=rows, name=self.name), GROUPED
        )


class DuplicateNames:
    """Collects the rows of each business name in little memory, whatever the size of the cohort.

    Each row keeps 16 bytes: a 64-bit hash of its name as people read it, and its row number (1.6 MB for
    100,000 rows; a dict of names took ten times that). A fixed bitmap of the hashes seen so far picks out, as
    the rows come, the names that may be repeats, and only those keep their text; ``found`` then gathers each
    repeated name's rows, its first row included, from the arrays. The bitmap may pick a name wrongly (two
    hashes share a bit); such a name has one row and is dropped. Two names sharing a 64-bit hash, a false
    match, is about one chance in 10^9 among 100,000 names.
    """

    def __init__(self, bitmap_bits: int = 1 << 22) -> None:  # 512 KB: about 2% of 100,000 names taken for repeats
        self._hashes = array("q")  # a row's folded name, hashed; in the order rows were added
        self._rows = array("q")  # that row's number
        self._bitmap = bytearray((bitmap_bits + 7) // 8)
        self._bits = bitmap_bits
        self._maybe_repeated: dict[int, str] = {}  # hash: the name as a row wrote it

    def add(self, row: int, name: str) -> None:
        written = " ".join(name.split())
        if not written:
            return
        key = hash(written.casefold())
        self._hashes.append(key)
        self._rows.append(row)
        byte, mask = divmod(key % self._bits, 8)
        if self._bitmap[byte] & (1 << mask):
            self._maybe_repeated.setdefault(key, written)
        else:
            self._bitmap[byte] |= 1 << mask

    def found(self) -> list[DuplicateName]:
        """Each name on more than one row, in the order of its first row. A row given twice counts once
        (merging reads a row from scores.csv and errors.csv)."""
        rows: dict[int, set[int]] = {key: set() for key in self._maybe_repeated}
        for key, row in zip(self._hashes, self._rows, strict=True):
            if key in rows:
                rows[key].add(row)
        groups = [
            DuplicateName(self._maybe_repeated[key], tuple(sorted(numbers)))
            for key, numbers in rows.items()
            if len(numbers) > 1
        ]
        return sorted(groups, key=lambda group: group.rows)
