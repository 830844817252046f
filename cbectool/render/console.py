"""The rich consoles cbectool prints through (stdout for results, stderr for warnings)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from rich.console import Console

from cbectool.notices import AnyWarning, summarize


@cache
def stdout() -> Console:
    return Console(highlight=False, soft_wrap=False)


@cache
def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)  # one message, one line: easy to grep


def print_warnings(warnings: Iterable[AnyWarning], console: Console | None = None) -> None:
    """Every command's warnings, the one way: ``Warning: ...`` on stderr, one line per warning and one per
    kind of notice (``notices.summarize``)."""
    for line in summarize(warnings):
        (console or stderr()).print(f"Warning: {line}", markup=False, emoji=False, soft_wrap=True)
