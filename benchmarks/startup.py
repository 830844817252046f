"""How fast does ``cbectool`` start? Prints whole-process timings and the heaviest imports.

Run: .venv/bin/python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def wall_time(command: list[str], runs: int) -> tuple[float, float]:
    """Median and best wall-clock seconds of a whole process."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=dict(os.environ, COLUMNS="100"))
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def heaviest_imports(module: str, top: int) -> tuple[float, list[tuple[float, str]]]:
    """Total and top cumulative import times (seconds) from ``python -X importtime``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True, check=True
    )
    rows = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and len(match.group(2)) <= 2:  # top-level imports only
            rows.append((int(match.group(1)) / 1e6, match.group(3)))
    total = sum(seconds for seconds, _ in rows)
    return total, sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    python = [sys.executable]
    cases = {
        "python -c pass (interpreter alone)": [*python, "-c", "pass"],
        "cbectool --version": [str(BIN / "cbectool"), "--version"],
        "cbectool --help": [str(BIN / "cbectool"), "--help"],
        "cbectool questionnaire list": [str(BIN / "cbectool"), "questionnaire", "list"],
        "python -c 'import weasyprint' (for scale)": [*python, "-c", "import weasyprint"],
    }
    print(f"whole process, {args.runs} runs each (median / best):")
    for name, command in cases.items():
        median, best = wall_time(command, args.runs)
        print(f"  {name:45s} {median * 1000:7.0f} ms / {best * 1000:5.0f} ms")
    total, rows = heaviest_imports("cbectool.cli", 8)
    print(f"\npython -X importtime -c 'import cbectool.cli': {total * 1000:.0f} ms in top-level imports; heaviest:")
    for seconds, name in rows:
        print(f"  {seconds * 1000:7.1f} ms  {name}")
    loaded = subprocess.run(
        [
            *python,
            "-c",
            "import sys, cbectool.cli; print(' '.join(sorted(m for m in ('weasyprint', 'openpyxl', "
            "'pypdf', 'pexpect') if m in sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"\nheavy modules loaded by 'import cbectool.cli': {loaded or 'none'}")


if __name__ == "__main__":
    main()
