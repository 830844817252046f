"""The rich consoles cbectool prints through (stdout for results, stderr for warnings)."""

from __future__ import annotations

from functools import cache

from rich.console import Console


@cache
def stdout() -> Console:
    return Console(highlight=False, soft_wrap=False)


@cache
def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)  # one message, one line: easy to grep
