"""Business names that more than one row of a cohort gives.

Two businesses may share a name, so both rows are kept and scored; but a
trainer must hear of it (two reports, ``Name.pdf`` and ``Name-2.pdf``, and the
name twice in the summary), because it is more often one business entered twice.
Names are compared as people read them: without case or extra spaces.
"""

from __future__ import annotations

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
    """Collects the rows of each business name, in flat memory: a hash per name seen (a 64-bit hash makes a
    false match between two of 100,000 names about one in 10^9), and the rows only of names seen twice."""

    def __init__(self) -> None:
        self._first: dict[int, int] = {}  # hash of a folded name: the first row that gave it
        self._rows: dict[str, list[int]] = {}  # folded name: its rows, for names on more than one row
        self._names: dict[str, str] = {}  # folded name: as a row wrote it

    def add(self, row: int, name: str) -> None:
        folded = " ".join(name.split()).casefold()
        if not folded:
            return
        first_row = self._first.setdefault(hash(folded), row)
        if first_row == row:
            return
        rows = self._rows.get(folded)
        if rows is None:
            self._rows[folded] = rows = [first_row]
            self._names[folded] = " ".join(name.split())
        if rows[-1] != row:  # a row may come twice in a row (merging scores.csv and errors.csv)
            rows.append(row)

    def found(self) -> list[DuplicateName]:
        """Each name on more than one row, in the order of its first row."""
        groups = [DuplicateName(self._names[folded], tuple(sorted(set(rows)))) for folded, rows in self._rows.items()]
        return sorted(groups, key=lambda group: group.rows)
