"""How fast ``cbectool batch`` scores and renders, and how much memory it needs (docs/batch.md records the figures).

    .venv/bin/python benchmarks/batch_speed.py                 # everything (~5 minutes on 2 cores)
    .venv/bin/python benchmarks/batch_speed.py --only scoring  # just the 100,000-row scoring run
    .venv/bin/python benchmarks/batch_speed.py --rows 20000 --reports 50 --memory-reports 200

Scoring: N generated rows, from opening the sheet to a complete scores.csv
(no reports, no summary, no xlsx), in one process (best and median of 3), with
its peak memory at N/10 and N rows, beside the rate at which Python's csv module
merely reads the same file. Share: the one pass's part of a ``batch --reports``
run. Reports: the same businesses rendered with 1 worker and with every core.
Memory: peak resident memory of the parent plus its worker processes while
rendering, sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from processes import Every50ms, descendants, rss

from cbectool import resources
from cbectool.cohort.batch import BatchOptions, run_batch
from cbectool.cohort.columns import layout_for
from cbectool.cohort.outputs import write_scores_xlsx
from cbectool.questionnaire import Questionnaire, QuestionType
from cbectool.text import localize
from cbectool.workers import default_workers

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "tests" / "data" / "questionnaires" / "starter.yaml"
CITIES = ["Sialkot", "Lahore", "Karachi", "Faisalabad", "Gujranwala", "سیالکوٹ"]


def generate(questionnaire: Questionnaire, rows: int, path: Path, seed: int = 6) -> None:
    """A realistic sheet: random answers, written as values or labels in mixed case, some multi-choice lists."""
    rng = random.Random(seed)
    layout = layout_for(questionnaire)
    questions = questionnaire.questions()
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(layout.columns)
        for number in range(rows):
            profile = [
                f"Business {number} Traders",
                rng.choice(CITIES),
                "Sports goods",
                "",
                "",
                "2026-11-23",
                "trainer",
            ]
            answers = []
            for question in questions:
                answers.append(_answer(question, rng))
            writer.writerow(profile + answers)


def _answer(question: object, rng: random.Random) -> str:
    from cbectool.questionnaire import Question

    assert isinstance(question, Question)
    if question.type == QuestionType.NUMBER:
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else 100
        return str(rng.randint(int(low), int(min(high, low + 60))))
    if question.type == QuestionType.TEXT:
        return rng.choice(["", "Ayesha", "Bilal"])
    choices = [choice for choice in question.choices if not choice.exclusive]
    if question.type == QuestionType.MULTI:
        picked = rng.sample(choices, k=min(len(choices), rng.randint(1, 2)))
        return "; ".join(choice.value for choice in picked)
    choice = rng.choice(question.choices)
    return choice.value if rng.random() < 0.7 else localize(choice.label).upper()


def bare_read_rate(path: Path) -> float:
    start = time.perf_counter()
    count = 0
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for _ in csv.reader(stream):
            count += 1
    return (count - 1) / (time.perf_counter() - start)


def scoring(questionnaire_reference: str, rows: int, work: Path, *, runs: int = 3, xlsx: bool = True) -> None:
    """One process, from opening the sheet to a complete scores.csv: best and median of ``runs``; peak memory at
    a tenth of the rows and at all of them (flat); Python's bare csv read of the same file, for scale."""
    questionnaire = resources.load(questionnaire_reference)
    sheet = work / f"{questionnaire.id}-{rows}.csv"
    generate(questionnaire, rows, sheet)
    tenth = work / f"{questionnaire.id}-{rows // 10}.csv"
    generate(questionnaire, rows // 10, tenth)
    size = sheet.stat().st_size / 1e6
    bare = [bare_read_rate(sheet)]
    times, cpu = [], []
    out = work / f"out-{questionnaire.id}"
    peak = 0
    for run in range(runs):
        with MemorySampler() as memory:
            elapsed, used, scored = _timed_batch(sheet, out / f"run-{run}", questionnaire_reference)
        times.append(elapsed)
        cpu.append(used)
        peak = max(peak, memory.peak)
        bare.append(bare_read_rate(sheet))
    with MemorySampler() as small:
        _timed_batch(tenth, out / "tenth", questionnaire_reference)
    best, median = min(times), statistics.median(times)
    print(
        f"scoring {questionnaire.id} {questionnaire.version} ({len(questionnaire.questions())} questions), "
        f"{scored:,} rows, {size:.1f} MB, one process: best {best:.2f} s = {rows / best:,.0f} rows/s, "
        f"median {median:.2f} s = {rows / median:,.0f} rows/s (CPU time, best: {rows / min(cpu):,.0f} rows/s; "
        f"target >= 5,000 rows/s)"
    )
    print(
        f"  peak memory: {small.peak / 1e6:.0f} MB for {rows // 10:,} rows, {peak / 1e6:.0f} MB for {rows:,} "
        f"(target: flat); bare csv read of the same file (best of {len(bare)}): {max(bare):,.0f} rows/s"
    )
    if xlsx:
        start = time.perf_counter()
        write_scores_xlsx(out / "run-0" / "scores.csv", out / "scores.xlsx")
        print(f"  scores.xlsx for {scored:,} rows (write-only openpyxl): {time.perf_counter() - start:.1f} s")


def _timed_batch(sheet: Path, out: Path, reference: str) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of ``cbectool batch`` as a user runs it (its own process, without reports,
    summary or xlsx), and the rows it scored."""
    command = [sys.executable, "-m", "cbectool", "batch", str(sheet), "--out", str(out), "-q", reference]
    command += ["--no-summary", "--no-xlsx", "--workers", "1"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with (out / "scores.csv").open(encoding="utf-8-sig", newline="") as stream:
        scored = sum(1 for _ in csv.reader(stream)) - 1
    return elapsed, used, scored


class _PassTimer:
    """Progress hooks that note when the one pass ends and rendering starts."""

    def __init__(self) -> None:
        self.begun = time.perf_counter()
        self.rendering = self.begun

    def start(self, total: int) -> None:
        self.rendering = time.perf_counter()

    def advance(self) -> None:
        pass

    def stop(self) -> None:
        pass


def scoring_share(count: int, workers: int, work: Path) -> None:
    """How much of a ``batch --reports`` run is the one pass (reading, checking, scoring, tables) on the
    bundled questionnaire, the rest being the PDFs."""
    sheet = work / f"share-{count}.csv"
    generate(resources.load("tdap-alibaba-cbec"), count, sheet)
    options = BatchOptions(sheet, work / "share", "tdap-alibaba-cbec", reports=True, workers=workers, xlsx=False)
    timer = _PassTimer()
    run_batch(options, progress=timer)
    total = time.perf_counter() - timer.begun
    scoring_pass = timer.rendering - timer.begun
    print(
        f"batch --reports, {count} businesses, {workers} workers: {total:.1f} s in all, the one pass "
        f"{scoring_pass:.2f} s = {100 * scoring_pass / total:.1f}% of it (the rest: reports and summary)"
    )


class MemorySampler(Every50ms):
    """Peak resident memory of this process plus all its descendants (Linux /proc)."""

    def __init__(self) -> None:
        super().__init__()
        self.peak = 0

    def sample(self) -> None:
        self.peak = max(self.peak, sum(rss(pid) for pid in [os.getpid(), *descendants(os.getpid())]))


def reports(count: int, workers: int, work: Path, label: str) -> tuple[float, float]:
    questionnaire = resources.load(str(STARTER))
    sheet = work / f"reports-{count}.csv"
    if not sheet.exists():
        generate(questionnaire, count, sheet)
    out = work / f"reports-{label}-{workers}"
    shutil.rmtree(out, ignore_errors=True)
    options = BatchOptions(sheet, out, str(STARTER), reports=True, workers=workers, summary=False, xlsx=False)
    with MemorySampler() as memory:
        start = time.perf_counter()
        result = run_batch(options)
        elapsed = time.perf_counter() - start
    assert result.reports_written == count, result
    rate = count / elapsed
    print(
        f"reports: {count} businesses, {workers} worker(s): {elapsed:.1f} s = {rate:.2f} reports/s; "
        f"peak memory (parent + workers) {memory.peak / 1e6:.0f} MB"
    )
    return rate, memory.peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--memory-reports", type=int, default=1000)
    parser.add_argument("--only", choices=["scoring", "share", "reports", "memory"])
    parser.add_argument("--no-xlsx", action="store_true", help="skip timing scores.xlsx (about 30 s a sheet)")
    arguments = parser.parse_args()
    cores = default_workers()
    print(f"Python {sys.version.split()[0]}, {cores} cores")
    with tempfile.TemporaryDirectory(prefix="cbectool-bench-") as folder:
        work = Path(folder)
        if arguments.only in (None, "scoring"):
            scoring("tdap-alibaba-cbec", arguments.rows, work, xlsx=not arguments.no_xlsx)
            scoring(str(STARTER), arguments.rows, work, xlsx=False)
        if arguments.only in (None, "share"):
            scoring_share(arguments.reports, cores, work)
        if arguments.only in (None, "reports"):
            serial, _ = reports(arguments.reports, 1, work, "speed")
            parallel, _ = reports(arguments.reports, cores, work, "speed")
            print(f"  speed-up with {cores} workers: {parallel / serial:.2f}x (target >= 1.8x with 2 workers)")
        if arguments.only in (None, "memory"):
            _, small = reports(arguments.reports, cores, work, "memory")
            _, large = reports(arguments.memory_reports, cores, work, "memory")
            print(
                f"  peak memory {small / 1e6:.0f} MB for {arguments.reports} reports, "
                f"{large / 1e6:.0f} MB for {arguments.memory_reports} (target < 400 MB, flat)"
            )


if __name__ == "__main__":
    main()
