"""The rich consoles cbectool prints through (stdout for results, stderr for warnings)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from rich.console import Console

from cbectool.notices import AnyWarning, printable, summarize


@cache
def stdout() -> Console:
    return Console(highlight=False, soft_wrap=False, markup=False, emoji=False)


@cache
def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)  # one line per message


# Text from users and questionnaire files ("[/b] Traders", ":fire:") is printed as written: no rich markup or
# emoji codes (a stray "[/b]" was a crash); styles come from ``rich.text.Text`` objects only.


def print_warnings(warnings: Iterable[AnyWarning], console: Console | None = None) -> None:
    """Every command's warnings, the one way: ``Warning: ...`` on stderr, one line per warning and one per
    kind of notice (``notices.summarize``); line breaks and control characters from a file show as escapes."""
    for line in summarize(warnings):
        (console or stderr()).print(f"Warning: {printable(line)}", markup=False, emoji=False, soft_wrap=True)
