"""Business names on more than one row: found exactly, whatever the bitmap that picks out repeats."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cbectool.cohort.duplicates import DuplicateNames

NAMES = st.sampled_from(["Ali Sports", "ali  sports", " ALI SPORTS ", "Bilal Leather", "بلال لیدر", "", "   ", "Zed"])


def people_read_alike(rows: list[tuple[int, str]]) -> dict[str, set[int]]:
    """The rows of each name as a person reads it (case and extra spaces aside)."""
    grouped: dict[str, set[int]] = {}
    for row, name in rows:
        folded = " ".join(name.split()).casefold()
        if folded:
            grouped.setdefault(folded, set()).add(row)
    return grouped


@given(
    names=st.lists(NAMES, max_size=40),
    repeats=st.sets(st.integers(0, 39), max_size=5),
    bitmap_bits=st.sampled_from([1, 8, 1 << 22]),
)
def test_every_name_on_two_rows_or_more_is_found_with_all_its_rows(
    names: list[str], repeats: set[int], bitmap_bits: int
) -> None:
    rows = []
    for number, name in enumerate(names, start=2):
        rows.append((number, name))
        if number - 2 in repeats:
            rows.append((number, name))  # merging gives a row twice, from scores.csv and errors.csv
    duplicates = DuplicateNames(bitmap_bits)
    for number, name in rows:
        duplicates.add(number, name)
    found = duplicates.found()
    expected = sorted(tuple(sorted(numbers)) for numbers in people_read_alike(rows).values() if len(numbers) > 1)
    assert [duplicate.rows for duplicate in found] == expected
    for duplicate in found:
        assert duplicate.name == " ".join(duplicate.name.split())
        assert {" ".join(name.split()).casefold() for number, name in rows if number in duplicate.rows} == {
            duplicate.name.casefold()
        }


def test_memory_per_row_is_two_numbers() -> None:
    duplicates = DuplicateNames()
    for number in range(2, 10_002):
        duplicates.add(number, f"Business {number}")
    assert duplicates.found() == []
    assert len(duplicates._maybe_repeated) < 100  # only names the bitmap took for repeats keep their text
    assert duplicates._hashes.itemsize + duplicates._rows.itemsize == 16
