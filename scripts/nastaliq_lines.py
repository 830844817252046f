"""How often the ink of one line of an Urdu report meets the ink of another: the check behind report-rtl.css's
line height (docs/report.md, "The report in Urdu").

    .venv/bin/python scripts/nastaliq_lines.py [RESPONSE.json ...]      # default: the three sample reports

Each report is laid out by WeasyPrint in Urdu; every glyph of every line gets its ink box from Pango, and
each pair of lines whose boxes overlap (by more than a third of a pixel) is counted once. Boxes are
rectangles, so a count overstates real contact a little: a tall letter's tip beside, not on, a descender
still counts. English reports count none.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import ffi, pango

from cbectool.report import render_report_html
from cbectool.report.render import make_url_fetcher, template_roots
from cbectool.scoring import evaluate_file

ROOT = Path(__file__).resolve().parent.parent
FROM_PANGO = 1 / 1024
SAMPLES = ("not-ready", "almost-ready", "gated")
Rectangle = tuple[int, float, float, float, float]  # line, left, top, right, bottom (CSS px)


def glyph_boxes(page: object) -> Iterator[Rectangle]:
    ink, logical = ffi.new("PangoRectangle *"), ffi.new("PangoRectangle *")

    def visit(box: object, line: int) -> Iterator[Rectangle]:
        if isinstance(box, boxes.LineBox):
            line = id(box)
        if isinstance(box, boxes.TextBox) and box.text.strip():
            box.pango_layout.reactivate(box.style)
            first = pango.pango_layout_get_line_readonly(box.pango_layout.layout, 0)
            x, baseline = box.position_x, box.position_y + box.baseline
            run = first.runs
            while run != ffi.NULL:
                item, run = run.data, run.next
                for index in range(item.glyphs.num_glyphs):
                    info = item.glyphs.glyphs[index]
                    if not info.glyph & 0x10000000:  # not an unknown glyph
                        pango.pango_font_get_glyph_extents(item.item.analysis.font, info.glyph, ink, logical)
                        if ink.width > 0 and ink.height > 0:
                            left = x + (info.geometry.x_offset + ink.x) * FROM_PANGO
                            top = baseline + (info.geometry.y_offset + ink.y) * FROM_PANGO
                            yield line, left, top, left + ink.width * FROM_PANGO, top + ink.height * FROM_PANGO
                    x += info.geometry.width * FROM_PANGO
            return
        for child in getattr(box, "children", []):
            yield from visit(child, line)

    yield from visit(page._page_box, 0)  # type: ignore[attr-defined]


def touching_pairs(page: object, tolerance: float = 0.33) -> int:
    columns: dict[int, list[Rectangle]] = defaultdict(list)
    for rectangle in glyph_boxes(page):
        for column in range(int(rectangle[1] // 20), int(rectangle[3] // 20) + 1):
            columns[column].append(rectangle)
    pairs = set()
    for members in columns.values():
        members.sort(key=lambda rectangle: rectangle[2])
        for index, a in enumerate(members):
            for b in members[index + 1 :]:
                if b[2] > a[4]:
                    break
                wide, deep = min(a[3], b[3]) - max(a[1], b[1]), min(a[4], b[4]) - max(a[2], b[2])
                if a[0] != b[0] and wide > tolerance and deep > tolerance:
                    pairs.add((min(a[0], b[0]), max(a[0], b[0])))
    return len(pairs)


def main() -> None:
    samples = ROOT / "docs" / "sample-report"
    paths = [Path(argument) for argument in sys.argv[1:]] or [samples / f"{name}.json" for name in SAMPLES]
    roots = template_roots()
    for path in paths:
        html = render_report_html(evaluate_file(path), lang="ur")
        document = weasyprint.HTML(string=html, base_url=roots[0].as_uri() + "/", url_fetcher=make_url_fetcher(roots))
        pages = document.render().pages
        counts = [touching_pairs(page) for page in pages]
        print(f"{path.name}: {len(pages)} pages, {sum(counts)} pairs of lines touching (per page: {counts})")


if __name__ == "__main__":
    main()
