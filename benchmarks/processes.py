"""Resident memory of a process and of its descendants (Linux /proc), for the benchmarks' memory figures."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Self


def rss(pid: int) -> int:
    """Resident memory of one process in bytes; 0 once it has ended."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """Every child process, and theirs; a process that ends while we look is left out."""
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += [int(child), *descendants(int(child))]
    return found


class Every50ms:
    """Calls ``sample()`` every 50 ms in a thread while the ``with`` block runs (subclasses keep the figures)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.sample()

    def sample(self) -> None:
        raise NotImplementedError
