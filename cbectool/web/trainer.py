"""The trainer's cohort outputs, made from the finished response files by ``cbectool batch``'s own code.

``run_batch`` gets the cohort folder itself as its COHORT (each ``*.json`` in it is one
business) and writes ``scores.csv``, ``scores.xlsx``, ``cohort-summary.pdf`` and, for the
workshop pack, every report and ``workshop-pack.pdf`` into ``COHORT/outputs/``. It runs in
a process of its own at a lower priority, so owners answering are not held up.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cbectool.web.reports import end_with_parent, stop_pools

OUTPUTS_DIR = "outputs"
DOWNLOADABLE = frozenset({".csv", ".xlsx", ".pdf"})
WORKER_NICENESS = 10


@dataclass(frozen=True)
class OutputsOrder:
    cohort: str
    out: str
    questionnaire: str
    lang: str
    pack: bool


def make_outputs(order: OutputsOrder) -> list[str]:
    """Runs in a worker: ``cbectool batch COHORT --out OUT [--reports --workshop-pack]``; the files made."""
    from cbectool.cohort.batch import BatchOptions, run_batch

    result = run_batch(
        BatchOptions(
            cohort=Path(order.cohort),
            out=Path(order.out),
            questionnaire=order.questionnaire,
            lang=order.lang,  # the trainer's page's: scores and summary; each report in its owner's language
            reports=order.pack,
            workshop_pack=order.pack,
        )
    )
    return [path.name for path in result.files]


def _start_worker() -> None:
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    end_with_parent()


@dataclass
class OutputsState:
    running: bool = False
    finished: str = ""  # the time the last run ended
    error: str = ""
    files: list[str] = field(default_factory=list)


class CohortOutputs:
    """One run at a time; the page shows whether one is running, how the last one ended, and the files."""

    def __init__(self, cohort: Path, questionnaire: str) -> None:
        self.cohort = cohort
        self.out = cohort / OUTPUTS_DIR
        self.questionnaire = questionnaire
        self.state = OutputsState()
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None

    def start(self, *, pack: bool, lang: str) -> bool:
        """Start a run; False if one is already running."""
        with self._lock:
            if self.state.running:
                return False
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker
                )
            order = OutputsOrder(str(self.cohort), str(self.out), self.questionnaire, lang, pack)
            future = self._executor.submit(make_outputs, order)
            self.state = OutputsState(running=True, files=self.state.files)
        future.add_done_callback(self._done)
        return True

    def _done(self, future: Future[list[str]]) -> None:
        error = None if future.cancelled() else future.exception()
        with self._lock:
            self.state.running = False
            self.state.finished = datetime.now().strftime("%H:%M")
            if error is not None:
                self.state.error = str(error).splitlines()[0] if str(error) else type(error).__name__
                if not isinstance(error, Exception):
                    self._executor = None
        self.state.files = self.available()

    def available(self) -> list[str]:
        """The files a trainer can download: those directly in ``outputs/`` (reports are in the table)."""
        if not self.out.is_dir():
            return []
        return sorted(
            path.name
            for path in self.out.iterdir()
            if path.is_file() and path.suffix in DOWNLOADABLE and not path.name.startswith(".")
        )

    def file(self, name: str) -> Path | None:
        """A file named in the page's links, and nothing else (no path parts, known kinds only)."""
        return self.out / name if name in self.available() else None

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            stop_pools([executor])  # outputs are written whole or not at all: the trainer makes them again
