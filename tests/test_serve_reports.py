"""The report workers: one report at a time per worker, in order, retried once if a worker dies, stopped at once.

The makers below run in the worker processes (spawned: they are imported from this module there).
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

import pytest
from serve_support import wait_for

from cbectool.web import reports
from cbectool.web.reports import ReportOrder, ReportQueue

pytestmark = pytest.mark.slow  # worker processes


def note_and_write(order: ReportOrder) -> str:
    """A stand-in for WeasyPrint: notes when and where it ran, then writes the 'PDF'."""
    started = time.time()
    time.sleep(float(order.lang))
    log = Path(order.result)
    with log.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps({"pdf": order.pdf, "pid": os.getpid(), "start": started, "end": time.time()}) + "\n")
    Path(order.pdf).write_bytes(b"%PDF-1.7 stand-in")
    return order.pdf


def die_once(order: ReportOrder) -> str:
    """The worker process dies (as if killed) the first time; the second try succeeds."""
    mark = Path(order.pdf + ".tried")
    if not mark.exists():
        mark.write_text("x")
        os._exit(9)
    Path(order.pdf).write_bytes(b"%PDF-1.7 stand-in")
    return order.pdf


def always_die(order: ReportOrder) -> str:
    os._exit(9)


def orders(folder: Path, count: int, seconds: float = 0.2) -> list[ReportOrder]:
    log = folder / "log.jsonl"
    return [ReportOrder(str(log), str(folder / f"report-{n}.pdf"), "starter", str(seconds)) for n in range(count)]


def runs(folder: Path) -> list[dict[str, float | str | int]]:
    return [json.loads(line) for line in (folder / "log.jsonl").read_text().splitlines()]


def test_a_burst_of_finishers_is_made_one_at_a_time_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reports, "REPORTS_PER_POOL", 3)
    queue = ReportQueue(1, maker=note_and_write)
    try:
        for number, order in enumerate(orders(tmp_path, 7)):
            queue.submit(f"p{number}", order)
        assert queue.status("p6", Path(orders(tmp_path, 7)[6].pdf)) == "making"
        wait_for(lambda: queue.busy() == 0, 120, "the reports were never made")
    finally:
        queue.shutdown()
    made = runs(tmp_path)
    assert [Path(str(run["pdf"])).stem for run in made] == [f"report-{n}" for n in range(7)]
    for earlier, later in itertools.pairwise(made):
        assert float(later["start"]) >= float(earlier["end"])  # never two at once: one worker, one core
    pids = [run["pid"] for run in made]
    assert len(set(pids[:3])) == 1 and pids[3] != pids[2] and pids[6] != pids[5]  # a fresh worker every 3
    assert all(queue.status(f"p{n}", Path(order.pdf)) == "ready" for n, order in enumerate(orders(tmp_path, 7)))


def test_a_report_whose_worker_dies_gets_one_more_try(tmp_path: Path) -> None:
    queue = ReportQueue(1, maker=die_once)
    order = orders(tmp_path, 1)[0]
    try:
        queue.submit("p0", order)
        wait_for(lambda: queue.busy() == 0, 120, "never finished")
    finally:
        queue.shutdown()
    assert queue.status("p0", Path(order.pdf)) == "ready"


def test_a_report_that_kills_its_worker_twice_is_marked_failed_and_the_next_one_is_made(tmp_path: Path) -> None:
    queue = ReportQueue(1, maker=always_die)
    first, second = orders(tmp_path, 2)
    try:
        queue.submit("p0", first)
        wait_for(lambda: queue.busy() == 0, 120, "never gave up")
        assert queue.status("p0", Path(first.pdf)) == "failed"
        assert queue.failure("p0")
        queue._maker = note_and_write
        queue.submit("p1", second)
        wait_for(lambda: queue.busy() == 0, 120, "the pool did not recover")
    finally:
        queue.shutdown()
    assert queue.status("p1", Path(second.pdf)) == "ready"


def test_stopping_abandons_the_report_being_made_at_once(tmp_path: Path) -> None:
    queue = ReportQueue(1, maker=note_and_write)
    slow = orders(tmp_path, 3, seconds=30)
    for number, order in enumerate(slow):
        queue.submit(f"p{number}", order)
    wait_for(lambda: bool(queue._running), 60, "nothing started")
    time.sleep(1)
    started = time.monotonic()
    queue.shutdown()
    assert time.monotonic() - started < 10
    assert not any(Path(order.pdf).exists() for order in slow)
    queue.submit("p9", orders(tmp_path, 1)[0])  # after the stop: nothing new starts
    assert queue.busy() == 0
