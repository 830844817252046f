"""The PDF action report: one business's assessment as a print-ready PDF.

``build_context`` prepares everything the report shows (``context.py``), the
templates in ``report_templates/`` only format it, WeasyPrint lays it out
(``render.py``). Importing this package does not import WeasyPrint.
"""

from __future__ import annotations

from pathlib import Path

from cbectool.files import safe_stem, write_bytes_atomic
from cbectool.report.context import ReportContext, build_context
from cbectool.report.render import Notify, ReportTemplateError, render_html, render_template_pdf
from cbectool.scoring import Evaluated

REPORT_TEMPLATE = "report.html.j2"

__all__ = [
    "REPORT_TEMPLATE",
    "ReportContext",
    "ReportTemplateError",
    "build_context",
    "default_report_name",
    "render_report_html",
    "render_report_pdf",
    "render_template_pdf",
    "write_report",
]


def render_report_html(evaluated: Evaluated, *, template_dir: Path | None = None, lang: str = "en") -> str:
    """The report as HTML (what WeasyPrint lays out); for checks and benchmarks."""
    context = {"report": build_context(evaluated, lang=lang)}
    return render_html(REPORT_TEMPLATE, context, template_dir=template_dir, lang=lang)


def render_report_pdf(
    evaluated: Evaluated, *, template_dir: Path | None = None, lang: str = "en", on_refused: Notify | None = None
) -> bytes:
    """One business's action report as PDF bytes; ``on_refused`` hears of files a custom template could not use."""
    context = {"report": build_context(evaluated, lang=lang)}
    return render_template_pdf(REPORT_TEMPLATE, context, template_dir=template_dir, on_refused=on_refused, lang=lang)


def write_report(
    evaluated: Evaluated,
    path: Path,
    *,
    template_dir: Path | None = None,
    lang: str = "en",
    on_refused: Notify | None = None,
    private: bool = False,
) -> Path:
    """Render and write the report atomically (a reader never sees half a PDF); returns ``path``.

    ``private``: readable by its owner only (an owner's own result, see ``files.AtomicFile``).
    """
    pdf = render_report_pdf(evaluated, template_dir=template_dir, lang=lang, on_refused=on_refused)
    write_bytes_atomic(path, pdf, private=private)
    return path


def default_report_name(evaluated: Evaluated) -> str:
    """``Ali-Sports-Works-cbec-report.pdf``: safe on every file system, whatever the owner typed."""
    return f"{safe_stem(evaluated.response.business.name)}-cbec-report.pdf"
