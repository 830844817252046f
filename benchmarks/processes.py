"""Resident memory of a process and of its descendants (Linux /proc), for the benchmarks' memory figures."""

from __future__ import annotations

from pathlib import Path


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
