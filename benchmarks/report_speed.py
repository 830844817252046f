"""How long the PDF report takes, and how much of it is cbectool's own work.

Measures, in one run and on the same input:

* **warm**: ``render_report_pdf`` in a long-running process (context, chart,
  templates and WeasyPrint), after one warm-up render;
* **weasyprint**: WeasyPrint alone on the very same HTML, with the same fetcher;
* **cold**: a fresh ``cbectool report`` process, start to finish;
* **baseline**: a fresh process that only imports WeasyPrint and renders the
  same HTML once (WeasyPrint's import plus one render).

Targets (issue 5): warm - weasyprint <= 15% of weasyprint, and
cold <= baseline + 0.4 s. Warm and WeasyPrint-only runs alternate so that load
from other processes hits both alike; the best of N is compared (the least
disturbed run), the median is printed too.

Usage: .venv/bin/python benchmarks/report_speed.py [--runs 5] [--response FILE] [--questionnaire ID|PATH]
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from cbectool.evaluation import evaluate_file
from cbectool.report import build_context, render_report_html, render_report_pdf
from cbectool.report.render import html_to_pdf, template_roots

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RESPONSE = ROOT / "docs" / "sample-report" / "sample-sialkot-tdap.json"
OVERHEAD_TARGET = 0.15
COLD_MARGIN = 0.4

BASELINE = """
import sys, time
from pathlib import Path
start = time.perf_counter()
import weasyprint
from cbectool.report.render import make_url_fetcher
roots = [Path(sys.argv[2])]
html = Path(sys.argv[1]).read_text(encoding="utf-8")
weasyprint.HTML(string=html, base_url=roots[0].as_uri() + "/", url_fetcher=make_url_fetcher(roots)).write_pdf()
"""


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _process(arguments: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(arguments, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--response", type=Path, default=DEFAULT_RESPONSE)
    parser.add_argument("--questionnaire", default=None)
    options = parser.parse_args()

    evaluated = evaluate_file(options.response, options.questionnaire)
    html = render_report_html(evaluated)
    roots = template_roots(None)
    pdf = render_report_pdf(evaluated)  # warm-up: fonts, templates, WeasyPrint's caches
    pages = len(PdfReader(BytesIO(pdf)).pages)
    context = min(_timed(lambda: build_context(evaluated)) for _ in range(20))
    templates = min(_timed(lambda: render_report_html(evaluated)) for _ in range(20))  # includes the context

    warm, weasy = [], []
    for _ in range(options.runs):
        warm.append(_timed(lambda: render_report_pdf(evaluated)))
        weasy.append(_timed(lambda: html_to_pdf(html, roots)))

    cbectool = Path(sys.executable).with_name("cbectool")
    cold, baseline = [], []
    with tempfile.TemporaryDirectory() as folder:
        html_file = Path(folder) / "report.html"
        html_file.write_text(html, encoding="utf-8")
        command = [str(cbectool), "report", str(options.response), "-o", str(Path(folder) / "r.pdf")]
        if options.questionnaire:
            command += ["-q", options.questionnaire]
        for _ in range(max(3, options.runs // 2)):
            cold.append(_process(command))
            baseline.append(_process([sys.executable, "-c", BASELINE, str(html_file), str(roots[0])]))

    overhead = min(warm) - min(weasy)
    share = overhead / min(weasy)
    budget = min(baseline) + COLD_MARGIN
    print(
        f"input: {options.response.name}, {evaluated.questionnaire.id} {evaluated.questionnaire.version}, "
        f"{len(evaluated.assessment.actions)} actions, {pages} pages"
    )
    print(f"{'':34}{'best':>8}{'median':>9}")
    for label, values in (
        ("warm render_report_pdf", warm),
        ("WeasyPrint alone, same HTML", weasy),
        ("cold `cbectool report` process", cold),
        ("cold WeasyPrint import + render", baseline),
    ):
        print(f"{label:34}{min(values):7.2f}s{statistics.median(values):8.2f}s")
    print(f"of which: context and chart {context * 1000:.0f} ms, context + templates {templates * 1000:.0f} ms")
    print(
        f"cbectool's own work (warm - WeasyPrint): {overhead * 1000:.0f} ms = {share:.1%} "
        f"(target <= {OVERHEAD_TARGET:.0%}): {'OK' if share <= OVERHEAD_TARGET else 'MISSED'}"
    )
    print(
        f"cold process: {min(cold):.2f} s, budget {budget:.2f} s (WeasyPrint import + render + {COLD_MARGIN} s): "
        f"{'OK' if min(cold) <= budget else 'MISSED'}"
    )
    return 0 if share <= OVERHEAD_TARGET and min(cold) <= budget else 1


if __name__ == "__main__":
    sys.exit(main())
