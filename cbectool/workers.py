"""Slow work (PDF reports, about a second each) in worker processes: bounded, recycled, and nothing lost.

``in_pool`` runs a known list of jobs: the batch's reports (scoring needs no
pool: each row is scored once, in the main process). Workshop mode's reports
arrive one at a time while people answer, so they have their own small queue
(``web/reports.py``) with the same rules. Workers are started with ``spawn``
(safe beside a progress bar's thread, and the same on Windows). At most a
few jobs per worker are in flight, so memory does not grow with the number of
jobs, and the pool is replaced after ``jobs_per_worker`` jobs per worker,
because WeasyPrint's caches grow with every document. Every job ends in
exactly one ``Done``: a job that fails, or whose worker dies, is reported with
its error, never dropped.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

J = TypeVar("J")

IN_FLIGHT_PER_WORKER = 4
MAX_RESTARTS = 3


@dataclass(frozen=True, slots=True)
class Done(Generic[J]):
    """One job's end: ``error`` is None when the work finished."""

    job: J
    error: BaseException | None = None


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _never(job: Any) -> bool:
    return False


def _nothing(*args: Any) -> None:
    return None


def in_pool(
    jobs: Iterable[J],
    work: Callable[[J], object],
    *,
    workers: int,
    initializer: Callable[..., None] = _nothing,
    initargs: tuple[Any, ...] = (),
    jobs_per_worker: int = 100,
    before_submit: Callable[[J], None] = _nothing,
    finished_anyway: Callable[[J], bool] = _never,
    after_crash: Callable[[], None] = _nothing,
) -> Iterator[Done[J]]:
    """Run ``work(job)`` for every job: in this process for one worker, else in a pool of fresh workers.

    ``work`` and ``initializer`` must be module-level functions (workers import
    them). When a worker process dies, its pool's jobs in flight end with the
    error, except those ``finished_anyway`` says were done (their result was lost
    with the pool); jobs the dead pool refused or cancelled never ran and go to
    the next pool; ``after_crash`` cleans up after the killed workers.
    """
    if workers <= 1:
        initializer(*initargs)
        for job in jobs:
            before_submit(job)
            try:
                work(job)
            except Exception as error:  # one job's failure never stops the others
                yield Done(job, error)
            else:
                yield Done(job)
        return
    yield from _parallel(
        jobs, work, workers, initializer, initargs, jobs_per_worker, before_submit, finished_anyway, after_crash
    )


def _parallel(
    jobs: Iterable[J],
    work: Callable[[J], object],
    workers: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
    jobs_per_worker: int,
    before_submit: Callable[[J], None],
    finished_anyway: Callable[[J], bool],
    after_crash: Callable[[], None],
) -> Iterator[Done[J]]:
    """Pools of fresh workers, replaced by hand after their share (Python 3.11's ``max_tasks_per_child`` can
    deadlock), and after a worker dies, up to ``MAX_RESTARTS`` times."""
    context = multiprocessing.get_context("spawn")

    def start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer, initargs=initargs)

    pending: dict[Future[object], J] = {}
    unrun: list[J] = []  # refused or cancelled by a pool that died: they never ran
    broken: BaseException | None = None

    def settle(futures: Iterable[Future[object]]) -> Iterator[Done[J]]:
        nonlocal broken
        for future in futures:
            job = pending.pop(future)
            if future.cancelled():
                unrun.append(job)
                continue
            error = future.exception()
            if isinstance(error, BrokenProcessPool):
                broken = error
                if finished_anyway(job):
                    error = None
            yield Done(job, error)

    queue = iter(jobs)
    limit = workers * IN_FLIGHT_PER_WORKER
    per_pool = workers * jobs_per_worker
    restarts = submitted = 0
    executor = start()
    try:
        while True:
            broken = None
            while submitted < per_pool and len(pending) < limit:
                job = unrun.pop() if unrun else next(queue, None)
                if job is None:
                    break
                before_submit(job)
                try:
                    pending[executor.submit(work, job)] = job
                except BrokenProcessPool as error:  # a worker died after the last wait returned
                    unrun.append(job)
                    broken = error
                    break
                submitted += 1
            if broken is None:
                if not pending:
                    if submitted < per_pool:
                        break  # every job is done
                    executor.shutdown(wait=True)  # this pool has done its share: fresh workers, flat memory
                    executor = start()
                    submitted = 0
                    continue
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                yield from settle(done)
            if broken is None:
                continue
            failure = broken
            executor.shutdown(wait=True, cancel_futures=True)
            yield from settle(list(pending))  # the dead pool's other jobs: finished or failed, never dropped
            after_crash()
            restarts += 1
            if restarts > MAX_RESTARTS:
                for job in [*unrun, *queue]:
                    yield Done(job, failure)
                break
            executor = start()
            submitted = 0
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
