"""The review screen of ``cbectool assess`` in pages that fit the terminal.

The bundled questionnaire's review is about 125 lines: on a 40-line terminal the
owner would have to scroll back to check the first answers. Here each page fits
the terminal's height. A part (payments, logistics, ...) stays on one page when it
fits on one; a page that continues a part repeats its title. Enter shows the next
page, ``p`` the previous one; a number changes that answer on any page. Only the
showing is paged: what a typed line means is still decided by ``Interview.submit_review``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cbectool.interview.flow import Interview, ReviewItem

FRAME_LINES = 3
"""Lines of a page besides the answers and the hint: a blank line, the title rule, the prompt."""
MIN_PAGE_LINES = 6
"""Even a tiny terminal gets a few answers per page."""
PREVIOUS_COMMANDS = frozenset({"p", "previous"})

Placed = tuple[int, int, bool]
"""An answer on a page: its part, its place in the part, and whether the part's title is shown above it."""


def pack(parts: Sequence[Sequence[int]], titles: Sequence[int], capacity: int) -> list[list[Placed]]:
    """Put answers of the given heights (in lines) on pages of at most ``capacity`` lines, in order.

    ``parts[p][i]`` is the height of answer ``i`` of part ``p``; ``titles[p]`` the height of
    the part's title, shown above its first answer and above its first answer on a new page.
    A part that does not fit in what is left of a page starts a new one if it fits there whole;
    an answer taller than a page gets a page of its own.
    """
    pages: list[list[Placed]] = []
    page: list[Placed] = []
    used = 0
    for part, heights in enumerate(parts):
        whole = titles[part] + sum(heights)
        if page and used + whole > capacity and whole <= capacity:
            pages.append(page)
            page, used = [], 0
        for index, height in enumerate(heights):
            titled = index == 0 or not page
            if page and used + height + (titles[part] if titled else 0) > capacity:
                pages.append(page)
                page, used = [], 0
                titled = True
            page.append((part, index, titled))
            used += height + (titles[part] if titled else 0)
    if page:
        pages.append(page)
    return pages


@dataclass(frozen=True)
class _Part:
    title: str
    items: tuple[ReviewItem, ...]


class ReviewPages:
    """The review of one interview, measured for one console and cut into pages.

    ``hints``: every hint a page may show under the answers; the longest is kept room for.
    """

    def __init__(self, interview: Interview, console: Console, hints: Sequence[str]) -> None:
        self.console = console
        self.parts = _parts(interview.review())
        self.count = sum(len(part.items) for part in self.parts)
        self.label_width = max((len(_label(item)) for part in self.parts for item in part.items), default=1)
        hint_lines = max((len(console.render_lines(Text(hint), pad=False)) for hint in hints), default=0)
        capacity = max(MIN_PAGE_LINES, console.size.height - FRAME_LINES - hint_lines)
        heights = [[self._height(_answer_rows(item)) for item in part.items] for part in self.parts]
        titles = [self._height([("", Text(part.title, "bold"))]) for part in self.parts]
        self.pages = pack(heights, titles, capacity)

    def __len__(self) -> int:
        return len(self.pages)

    def _grid(self) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True, min_width=self.label_width)
        grid.add_column()
        return grid

    def _height(self, rows: list[tuple[str, Text]]) -> int:
        grid = self._grid()
        for row in rows:
            grid.add_row(*row)
        return len(self.console.render_lines(grid, self.console.options, pad=False))

    def page(self, number: int) -> Table:
        """Page ``number`` (from 0) as a grid: part titles, then each answer numbered for changing."""
        grid = self._grid()
        for part_index, index, titled in self.pages[number]:
            part = self.parts[part_index]
            if titled:
                grid.add_row("", Text(part.title, "bold"))
            for row in _answer_rows(part.items[index]):
                grid.add_row(*row)
        return grid


def _parts(items: list[ReviewItem]) -> list[_Part]:
    parts: list[_Part] = []
    for item in items:
        if parts and parts[-1].title == item.section_title:
            parts[-1] = _Part(item.section_title, (*parts[-1].items, item))
        else:
            parts.append(_Part(item.section_title, (item,)))
    return parts


def _label(item: ReviewItem) -> str:
    return f"{'!' if item.missing else ''}{item.number}."


def _answer_rows(item: ReviewItem) -> list[tuple[str, Text]]:
    return [(_label(item), Text(item.text)), ("", Text(f"-> {item.answer}"))]
