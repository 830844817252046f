"""How long an owner waits from typing ``cbectool assess`` to the welcome prompt (docs/assess.md records it).

Spawns ``cbectool assess`` in a real pseudo-terminal (pexpect) with an empty,
temporary home, so no draft is offered, and stops the clock when "Press Enter to
start" appears. Also times the first question after Enter, and the next question
after the first answer (which creates and saves the draft); then sends Ctrl-C.
Best and median of N runs are printed (the best is the least disturbed run).

Usage: .venv/bin/python benchmarks/assess_startup.py [--runs 10] [--questionnaire ID|PATH]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parent.parent
CBECTOOL = ROOT / ".venv" / "bin" / "cbectool"


def _default_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def one_run(questionnaire: str | None) -> tuple[float, float, float]:
    """Seconds to the welcome prompt, from Enter to the first question, and from an answer (saved) to the next."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "CBECTOOL_HOME": home, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
        args = ["assess", "--no-pdf", *(["--questionnaire", questionnaire] if questionnaire else [])]
        command = str(CBECTOOL) if CBECTOOL.exists() else sys.executable
        if command == sys.executable:
            args = ["-m", "cbectool", *args]
        started = time.perf_counter()
        child = pexpect.spawn(
            command, args, env=env, encoding="utf-8", timeout=60, cwd=str(ROOT), preexec_fn=_default_ctrl_c
        )
        child.delaybeforesend = None
        child.expect_exact("Press Enter to start: ")
        welcome = time.perf_counter() - started
        entered = time.perf_counter()
        child.sendline("")
        child.expect_exact("Your answer: ")
        first_question = time.perf_counter() - entered
        answered = time.perf_counter()
        child.sendline("Ali Sports Works")  # the first answer: the draft is created and saved with an fsync
        child.expect_exact("Your answer: ")
        next_question = time.perf_counter() - answered
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
        child.close()
    return welcome, first_question, next_question


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--questionnaire", default=None, help="default: the bundled questionnaire")
    options = parser.parse_args()
    one_run(options.questionnaire)  # warm the file-system cache and .pyc files
    runs = [one_run(options.questionnaire) for _ in range(options.runs)]
    welcome = [run[0] for run in runs]
    first = [run[1] for run in runs]
    saved = [run[2] for run in runs]
    print(f"runs: {options.runs}; questionnaire: {options.questionnaire or 'bundled default'}")
    print(f"start to welcome prompt: best {min(welcome):.3f} s, median {statistics.median(welcome):.3f} s")
    for name, times in (("Enter to first question", first), ("answer saved to next question", saved)):
        print(f"{name}: best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
