"""The PDF action report: its content (read back from the PDF), its context, the command and custom templates.

PDFs take about a second each, so they are rendered once per module and shared.
"""

from __future__ import annotations

import io
import json
import math
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import answer_sets
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape
from pypdf import PdfReader
from typer.testing import CliRunner

from cbectool import __version__, cli, resources
from cbectool.errors import ExitCode, MissingSystemLibraryError
from cbectool.report import (
    build_context,
    chart,
    default_report_name,
    glossary,
    render,
    render_report_html,
    render_report_pdf,
    write_report,
)
from cbectool.report.context import LATER_LISTED, PLAN_PHASES, TOP_STEPS
from cbectool.response import parse_response
from cbectool.scoring import Evaluated, Moved, evaluate, evaluate_file, format_score
from cbectool.text import localize

DATA = Path(__file__).parent / "data"
STARTER = DATA / "questionnaires" / "starter.yaml"
SAMPLE = DATA / "responses" / "sample-sialkot.json"
A4_POINTS = (595.28, 841.89)  # 210 x 297 mm

runner = CliRunner()


def _flat(text: str) -> str:
    """Whitespace-normalised text, so words wrapped across lines still match."""
    return " ".join(text.split())


def _pdf_text(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [_flat(page.extract_text()) for page in reader.pages]


def _sample() -> Evaluated:
    return evaluate_file(SAMPLE, str(STARTER))


def _with(response: dict[str, Any], **changes: Any) -> Evaluated:
    data = json.loads(json.dumps(response))
    for key, value in changes.items():
        if key == "name":
            data["business"]["name"] = value
        else:
            data["answers"][key] = value
    return evaluate(parse_response(data, "test"), resources.load(str(STARTER)))


@pytest.fixture(scope="module")
def sample() -> Evaluated:
    return _sample()


@pytest.fixture(scope="module")
def sample_pdf(sample: Evaluated) -> tuple[PdfReader, list[str]]:
    return _pdf_text(render_report_pdf(sample))


@pytest.fixture(scope="module")
def gated() -> Evaluated:
    """The sample business without any way to be paid: the payment gate fires."""
    response = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return _with(response, pay_receive_channel=["none"])


# --- what the PDF says -------------------------------------------------------------------------


def test_pdf_names_the_business_every_dimension_the_level_and_every_action(
    sample: Evaluated, sample_pdf: tuple[PdfReader, list[str]]
) -> None:
    _, pages = sample_pdf
    text = " ".join(pages)
    questionnaire = sample.questionnaire
    assert sample.response.business.name in pages[0]
    for dimension in questionnaire.dimensions:
        assert localize(dimension.title) in text
    level_name = localize(questionnaire.level(sample.assessment.overall.level).name)
    assert f"Level: {level_name}" in pages[0]
    assert f"Your level: {level_name}" in text
    assert sample.assessment.actions, "the sample response must trigger actions"
    titles = {action.id: localize(action.title) for action in questionnaire.actions}
    for recommended in sample.assessment.actions:
        assert titles[recommended.id] in text, recommended.id
    not_triggered = set(titles) - {recommended.id for recommended in sample.assessment.actions}
    assert not_triggered, "the sample must leave some actions out, to show that only triggered ones print"
    for action_id in not_triggered:
        assert titles[action_id] not in text, action_id


def test_every_page_is_a4_with_a_footer_naming_business_versions_and_page_x_of_y(
    sample: Evaluated, sample_pdf: tuple[PdfReader, list[str]]
) -> None:
    reader, pages = sample_pdf
    count = len(reader.pages)
    questionnaire = sample.questionnaire
    footer = f"{sample.response.business.name} · {questionnaire.id} {questionnaire.version} · cbectool {__version__}"
    assert 5 <= count <= 12
    for number, (page, text) in enumerate(zip(reader.pages, pages, strict=True), start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4_POINTS[0], 1), round(A4_POINTS[1], 1))
        assert f"Page {number} of {count}" in text
        assert footer in text


def test_cover_shows_profile_date_assessor_and_overall_score(
    sample: Evaluated, sample_pdf: tuple[PdfReader, list[str]]
) -> None:
    cover = sample_pdf[1][0]
    business = sample.response.business
    assert sample.response.assessed is not None
    for fact in (business.city, business.sector, business.products, sample.response.assessed.by):
        assert fact is not None
        assert fact in cover
    assert "23 November 2026" in cover  # assessed.on is 2026-11-23
    assert sample.assessment.overall.score == 38.5  # not a whole number: it must print as it is
    assert "38.5/100" in cover
    library = {action.id: action for action in sample.questionnaire.actions}
    first = library[sample.assessment.actions[0].id]
    start = f"Start here, this week: Step 1: {localize(first.title)} {localize(first.first_step)}"
    assert start.upper() in cover.upper()


def test_plan_lists_each_step_with_its_number_under_the_phase_the_plan_gave_it(
    sample: Evaluated, sample_pdf: tuple[PdfReader, list[str]]
) -> None:
    text = " ".join(sample_pdf[1])
    plan = text[text.index("Do the steps in their order") :]
    library = {action.id: action for action in sample.questionnaire.actions}
    positions = {days: plan.index(title) for days, title in ((30, "Days 1–30"), (60, "Days 31–60"), (90, "Days 61–90"))}
    assert positions[30] < positions[60] < positions[90]
    steps = sample.assessment.actions
    assert {step.phase for step in steps} >= {30, 60}, "the sample must fill more than one phase"
    for step in steps:
        # table cells wrap: match the step number and the title's first words
        at = plan.index(f"{step.priority}. " + " ".join(localize(library[step.id].title).split()[:3]))
        assert step.phase is not None
        assert positions[step.phase] < at
        assert step.phase == 90 or at < positions[step.phase + 30]


@pytest.fixture(scope="module")
def longest() -> Evaluated:
    """The bundled questionnaire with every answer at its worst: the longest plan, with steps for later."""
    questionnaire = resources.load()
    return answer_sets.evaluated(questionnaire, answer_sets.worst_answers(questionnaire))


def test_the_plan_is_the_schedule_numbered_once_and_the_summary_shows_its_first_phase(longest: Evaluated) -> None:
    context = build_context(longest)
    steps = longest.assessment.actions
    assert [action.priority for action in context.actions] == list(range(1, len(steps) + 1))
    for phase in context.plan:
        assert [action.id for action in phase.actions] == [step.id for step in steps if step.phase == phase.days]
        assert len(phase.actions) <= TOP_STEPS
    assert [action.id for action in context.later] == [step.id for step in steps if step.phase is None]
    assert context.later, "the worst answers must leave steps for later"
    assert context.top_steps == context.plan[0].actions
    moved = [step for step in steps if step.phase is not None and step.phase != step_timeframe(longest, step.id)]
    assert moved, "the worst answers must move a step out of its own time frame"
    for step in moved:
        item = next(action for action in context.actions if action.id == step.id)
        assert item.phase == step.phase
        assert item.phase_title == f"Days {step.phase - 29}–{step.phase}"
    for section in context.dimensions:
        assert section.actions == section.planned + section.later
        assert all(action.phase is not None for action in section.planned)


def step_timeframe(evaluated: Evaluated, action_id: str) -> int:
    return int(next(action for action in evaluated.questionnaire.actions if action.id == action_id).timeframe)


def test_later_steps_are_listed_after_the_plan_with_the_reason_in_words(longest: Evaluated) -> None:
    context = build_context(longest)
    numbers = {step.id: step.priority for step in longest.assessment.actions}
    for action, step in zip(context.later, [s for s in longest.assessment.actions if s.phase is None], strict=True):
        if step.moved == Moved.AFTER:
            assert action.later_reason == f"after step {numbers[step.waits_for or '']}"
        else:
            assert action.later_reason == "when the first steps are done"
    html = _flat(render_report_html(longest))
    section = html[html.index("Later, after the 90 days") :]
    assert context.later_listed == context.later[:LATER_LISTED]
    for action in context.later_listed:
        assert f"<b>{action.priority}.</b> {escape(action.title)}" in section
    unlisted = context.later[LATER_LISTED:]
    assert unlisted, "the worst answers leave more steps for later than the plan names"
    for action in unlisted:
        assert escape(action.title) not in html
    assert f"After these come {len(unlisted)} more steps (each area says how many)." in section
    areas_with_later = [area for area in context.dimensions if area.later]
    assert areas_with_later
    for area in areas_with_later:
        assert area.later_listed == tuple(action for action in area.later if action in context.later_listed)
        numbers = [str(action.priority) for action in area.later_listed]
        more = len(area.later) - len(numbers)
        if numbers:
            listed = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"
            word = "steps" if len(numbers) > 1 else "step"
            tail = f", and {more} more after those." if more else "."
            assert f"Later:</b> {word} {listed} (at the end of your plan){tail}" in html
        else:
            assert f"Later:</b> {more} more step" in html


def test_gaps_print_with_the_points_they_cost(sample: Evaluated, sample_pdf: tuple[PdfReader, list[str]]) -> None:
    text = " ".join(sample_pdf[1])
    gaps = [gap for dimension in sample.assessment.dimensions for gap in dimension.gaps]
    assert gaps
    assert any(gap.points for gap in gaps), "the sample must have a gap that earned some points"
    for gap in gaps:
        question = sample.questionnaire.question(gap.question_id)
        assert question is not None
        assert f"−{float(gap.lost):g} {localize(question.text)}" in text
        if gap.points:
            assert f"{float(gap.points):g} of {float(gap.possible):g} points)" in text


def test_glossary_explains_the_terms_the_report_uses(
    sample: Evaluated, sample_pdf: tuple[PdfReader, list[str]]
) -> None:
    text = " ".join(sample_pdf[1])
    first_term = build_context(sample).glossary[0].term
    glossary_page = text[text.index(f"Glossary {first_term}") :]
    assert "PCT code: Pakistan Customs Tariff code" in glossary_page  # the starter asks for the PCT (HS) code
    assert "WeBOC: Web-Based One Customs" in glossary_page
    assert "Incoterms" not in glossary_page  # not used by the starter questionnaire


# --- the context (fast: no PDF) ----------------------------------------------------------------


def test_context_follows_the_assessment(sample: Evaluated) -> None:
    context = build_context(sample)
    recommended = [action.id for action in sample.assessment.actions]
    assert [action.id for action in context.actions] == recommended
    assert [action.priority for action in context.actions] == [step.priority for step in sample.assessment.actions]
    assert [phase.days for phase in context.plan] == list(PLAN_PHASES)
    planned = [action.id for phase in context.plan for action in phase.actions] + [a.id for a in context.later]
    assert planned == recommended  # the plan's order is the step order
    for phase in context.plan:
        assert all(action.phase == phase.days for action in phase.actions)
    first_phase = next(phase for phase in context.plan if phase.actions)
    assert context.top_steps == first_phase.actions[:TOP_STEPS]
    assert context.level.id == sample.assessment.overall.level
    assert [level.id for level in context.levels if level.reached] == [sample.assessment.overall.level]
    for section, score in zip(context.dimensions, sample.assessment.dimensions, strict=True):
        assert section.id == score.id
        assert [line.question_id for line in section.gaps] == [gap.question_id for gap in score.gaps]
        assert [line.question_id for line in section.in_place] == [answer.question_id for answer in score.in_place]
        assert section.points_lost == pytest.approx(sum(gap.lost for gap in score.gaps))
        assert {action.dimension_id for action in section.actions} <= {section.id}
    assert context.radar_chart.startswith("data:image/svg+xml;base64,")


def test_answers_print_in_words(sample: Evaluated) -> None:
    context = build_context(sample)
    lines = {line.question_id: line for section in context.dimensions for line in (*section.in_place, *section.gaps)}
    assert lines["pay_receive_channel"].answer == "My bank account receives foreign remittances"
    assert lines["log_dispatch_days"].answer == "6 days"
    assert lines["log_hs_code"].answer == "No"


def test_a_gate_is_shown_as_what_holds_the_business_back(gated: Evaluated) -> None:
    assert gated.assessment.gates == ("no_payment_channel",)
    context = build_context(gated)
    gate = gated.questionnaire.gates[0]
    [shown] = context.gates
    assert shown.reason == localize(gate.reason)
    assert context.top_steps[0].id == gate.actions[0]
    assert context.top_steps[0].gate_related
    assert [step.id for step in shown.steps] == [action for action in gate.actions if action in recommended(gated)]
    html = _flat(render_report_html(gated))
    cover = html[: html.index('<section class="chapter summary">')]
    assert "Before anything else:" in cover
    assert escape(shown.reason) in cover
    assert f"Step {shown.steps[0].priority}: {escape(shown.steps[0].title)}" in cover
    assert "Start here, this week" not in cover  # the gate's step is the place to start
    assert "MUST DO FIRST" in html
    if shown.lowered_level:
        assert f"This limits your level to “{shown.cap_level_name}”" in cover


def recommended(evaluated: Evaluated) -> list[str]:
    return [step.id for step in evaluated.assessment.actions]


def test_self_assessment_and_missing_date(sample: Evaluated) -> None:
    response = sample.response.model_copy(update={"assessed": None})
    context = build_context(evaluate(response, sample.questionnaire), today=__import__("datetime").date(2027, 1, 5))
    assert (context.assessor, context.assessed_on) == ("Self-assessment", "5 January 2027")


def test_glossary_matches_whole_words_only() -> None:
    terms = [entry.term for entry in glossary.glossary_for("Get an NTN and register on PSW; see the MOQ.")]
    assert terms == ["MOQ", "NTN", "PSW"]
    assert glossary.glossary_for("SHOWS the psw ntn in lower case, PSWX and XNTN") == ()


# --- the chart ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_chart_is_well_formed_svg_with_every_number_and_value(count: int) -> None:
    axes = [chart.ChartAxis(number, f"Area <{number}> & co", 10.0 * number + 0.5) for number in range(1, count + 1)]
    axes[0] = chart.ChartAxis(1, "Not assessed", None)
    svg = chart.radar_chart_svg(axes)
    root = ElementTree.fromstring(svg)  # well-formed although titles contain < and &
    texts = ["".join(element.itertext()) for element in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "n/a" in " ".join(texts)
    for axis in axes[1:]:
        assert str(axis.number) in texts
        assert any(text.startswith(format_score(axis.score or 0)) for text in texts)  # 20.5, never rounded to 21


DEJAVU = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}


@pytest.mark.parametrize("bold", [False, True])
def test_chart_label_widths_are_the_fonts_own(bold: bool) -> None:
    from fontTools.ttLib import TTFont

    from cbectool.system import DEJAVU_FOLDERS

    path = next(folder / DEJAVU[bold] for folder in DEJAVU_FOLDERS if (folder / DEJAVU[bold]).is_file())
    font = TTFont(path)
    widths, cmap = font["hmtx"], font.getBestCmap()
    table = chart.BOLD_WIDTHS if bold else chart.REGULAR_WIDTHS
    for character, width in table.items():
        assert round(widths[cmap[ord(character)]][0] / font["head"].unitsPerEm, 3) == width, character


@given(
    st.lists(st.one_of(st.none(), st.floats(0, 100).map(lambda x: math.floor(x * 10) / 10)), min_size=3, max_size=10),
    st.booleans(),
)
def test_chart_labels_never_overlap_each_other_or_the_ring_values_and_stay_inside(
    scores: list[float | None], mirrored: bool
) -> None:
    axes = [chart.ChartAxis(number, f"Area {number}", score) for number, score in enumerate(scores, start=1)]
    labels, ticks = chart.label_boxes(axes, mirrored=mirrored), chart.tick_boxes(axes, mirrored=mirrored)
    for index, box in enumerate(labels):
        assert box.left >= 0 and box.right <= chart.WIDTH and box.top >= 0 and box.bottom <= chart.HEIGHT
        assert not any(box.overlaps(other) for other in labels[index + 1 :])
        assert not any(box.overlaps(tick) for tick in ticks)
    for index, tick in enumerate(ticks):
        assert not any(tick.overlaps(other) for other in ticks[index + 1 :])


def test_a_right_to_left_chart_is_the_mirror_image_of_the_left_to_right_one() -> None:
    """Areas go round anticlockwise from the top, the numbered circles are right of their scores, the ring
    values left of the first axis: every shape reflected about the middle, the figures still read 57.5."""
    axes = [chart.ChartAxis(number, f"Area {number}", 10.0 * number) for number in range(1, 7)]
    plain, mirrored = chart.label_boxes(axes), chart.label_boxes(axes, mirrored=True)
    for box, reflected in zip(plain, mirrored, strict=True):
        assert (round(chart.WIDTH - box.right, 6), round(box.top, 6)) == (
            round(reflected.left, 6),
            round(reflected.top, 6),
        )
    for tick, reflected in zip(chart.tick_boxes(axes), chart.tick_boxes(axes, mirrored=True), strict=True):
        assert round(chart.WIDTH - tick.right, 6) == round(reflected.left, 6)
    svg = chart.radar_chart_svg(axes, mirrored=True, missing="—")
    first_badge = re.search(r'<circle cx="([0-9.]+)" cy="([0-9.]+)" r="7.5"', svg)
    first_value = re.search(r'text-anchor="end">10</text>', svg)
    assert first_badge and first_value  # the score ends where its circle begins, to the circle's left
    none = chart.radar_chart_svg([chart.ChartAxis(1, "A", None), *axes[1:]], mirrored=True, missing="—")
    assert ">—</text>" in none and "n/a" not in none


def test_chart_is_larger_and_prints_nothing_below_9_pt() -> None:
    axes = [chart.ChartAxis(number, f"Area {number}", 99.9) for number in range(1, 7)]
    svg = chart.radar_chart_svg(axes)
    assert round(chart.WIDTH * 25.4 / 72, 6) == 100  # printed 100 mm wide: one unit is one point
    sizes = [float(size) for size in re.findall(r'font-size="([0-9.]+)"', svg)]
    assert sizes and min(sizes) >= 9
    # the old chart: a radius of 128 of 520 units printed 88 mm wide, so 21.7 mm; now more than 1.5 times that
    radius_mm = chart._Geometry(6, [chart._label_size(axis) for axis in axes]).radius * 25.4 / 72
    assert radius_mm > 1.5 * 128 / 520 * 88


# --- file names and writing --------------------------------------------------------------------


def test_default_report_name_is_safe(sample: Evaluated) -> None:
    assert default_report_name(sample) == "Ali-Sports-Works-cbec-report.pdf"
    hostile = sample.response.model_copy(
        update={"business": sample.response.business.model_copy(update={"name": '../<img src="x">/etc'})}
    )
    name = default_report_name(evaluate(hostile, sample.questionnaire))
    assert name.endswith("-cbec-report.pdf")
    assert not set('/\\<>"') & set(name)


def test_missing_pango_names_the_packages_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins
    import sys

    real_import = builtins.__import__

    def failing_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", failing_import)
    monkeypatch.setattr("cbectool.system.check_pdf_libraries", lambda: ["Pango (libpango-1.0-0)"])
    with pytest.raises(MissingSystemLibraryError) as raised:
        render.load_weasyprint()
    assert str(raised.value) == (
        "missing for PDF reports: Pango (libpango-1.0-0); on Debian or Ubuntu run: "
        "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
    )


def test_system_check_finds_everything_here_and_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from cbectool import system

    assert system.check_pdf_libraries() == []
    monkeypatch.setattr("ctypes.util.find_library", lambda name: None if name == "pangoft2-1.0" else "lib.so")
    assert system.check_pdf_libraries() == ["PangoFT2 (libpangoft2-1.0-0)"]


# --- the command -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """`cbectool report` run once through CliRunner, writing next to a copy of the response file."""
    folder = tmp_path_factory.mktemp("cli")
    response = folder / "ali.json"
    response.write_bytes(SAMPLE.read_bytes())
    result = runner.invoke(cli.app, ["report", str(response), "-q", str(STARTER)], catch_exceptions=False)
    return result, folder


def test_report_command_writes_next_to_the_response_and_says_where(cli_pdf: tuple[Any, Path]) -> None:
    result, folder = cli_pdf
    expected = folder / "Ali-Sports-Works-cbec-report.pdf"
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Report written to {expected}\n"
    assert expected.read_bytes().startswith(b"%PDF-")
    assert [path.name for path in folder.iterdir() if path.name.startswith(".")] == []  # no temporary left


def test_report_command_into_a_new_folder_and_to_a_file(tmp_path: Path, sample: Evaluated) -> None:
    # both paths of choosing a target, without rendering twice: write_report is what the command calls
    result = runner.invoke(cli.app, ["report", str(SAMPLE), "-q", str(STARTER), "-o", f"{tmp_path}/new/"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Report written to {tmp_path / 'new' / default_report_name(sample)}\n"
    target = tmp_path / "sub" / "mine.pdf"
    assert write_report(sample, target, template_dir=None) == target
    assert target.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "nope.json"], "Error: nope.json: no such file\n"),
        (
            ["report", str(SAMPLE), "-q", str(STARTER), "--template-dir", "no-such-dir"],
            "Error: no-such-dir: no such template folder\n",
        ),
    ],
)
def test_report_command_user_errors(args: list[str], message: str) -> None:
    result = runner.invoke(cli.app, args)
    assert (result.exit_code, result.stderr) == (ExitCode.USER, message)


# --- custom templates ---------------------------------------------------------------------------


def test_broken_custom_template_names_template_and_line(tmp_path: Path) -> None:
    template = tmp_path / "report.html.j2"
    template.write_text(
        "<html>\n<body>\n{% if report.business.name %}\n<p>never closed</p>\n</body>\n", encoding="utf-8"
    )
    result = runner.invoke(cli.app, ["report", str(SAMPLE), "-q", str(STARTER), "--template-dir", str(tmp_path)])
    assert result.exit_code == ExitCode.USER
    assert result.stderr.startswith(f"Error: {template}:")
    assert re.fullmatch(
        rf"Error: {re.escape(str(template))}:\d+: template syntax error: Unexpected end of template\..*\n",
        result.stderr,
    )
    assert result.stderr.count("\n") == 1


def test_misspelt_variable_in_custom_template_names_template_and_line(tmp_path: Path) -> None:
    template = tmp_path / "report.html.j2"
    template.write_text(
        "<html>\n<body>\n<p>{{ report.business.name }}</p>\n<p>{{ report.bussiness }}</p>\n", encoding="utf-8"
    )
    result = runner.invoke(cli.app, ["report", str(SAMPLE), "-q", str(STARTER), "--template-dir", str(tmp_path)])
    assert result.exit_code == ExitCode.USER
    assert result.stderr.startswith(f"Error: {template}:4: template error: ")
    assert "bussiness" in result.stderr
    assert result.stderr.count("\n") == 1


def test_custom_template_can_extend_the_bundled_one_and_override_branding(tmp_path: Path, sample: Evaluated) -> None:
    (tmp_path / "brand.html.j2").write_text('<p class="brand">Sialkot Chamber Export Desk</p>\n', encoding="utf-8")
    (tmp_path / "report.html.j2").write_text(
        '{% extends "cbectool/report.html.j2" %}\n'
        "{% block about %}<p>Prepared by the Export Desk for {{ report.business.name }}.</p>{% endblock %}\n",
        encoding="utf-8",
    )
    html = _flat(render_report_html(sample, template_dir=tmp_path))
    assert "Sialkot Chamber Export Desk" in html
    assert "Prepared by the Export Desk for Ali Sports Works." in html
    assert "About this report" not in html
    assert 'href="report.css"' in html  # still the bundled styles, found through the fallback folder


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("<p>\n{% include 'missing.html.j2' %}\n", 2, "template 'missing.html.j2' not found (looked in "),
        ("<p>\n\n{{ 1 // 0 }}</p>\n", 3, "template error: ZeroDivisionError: "),
    ],
)
def test_other_custom_template_faults_name_template_and_line(
    tmp_path: Path, source: str, line: int, message: str
) -> None:
    template = tmp_path / "report.html.j2"
    template.write_text(source, encoding="utf-8")
    result = runner.invoke(cli.app, ["report", str(SAMPLE), "-q", str(STARTER), "--template-dir", str(tmp_path)])
    assert result.exit_code == ExitCode.USER
    assert result.stderr.startswith(f"Error: {template}:{line}: {message}")
    assert result.stderr.count("\n") == 1


def test_every_template_variable_is_documented() -> None:
    import dataclasses

    from cbectool.report import context

    documented = (Path(__file__).parent.parent / "docs" / "report.md").read_text(encoding="utf-8")
    classes = [
        context.ReportContext,
        context.BusinessInfo,
        context.LevelInfo,
        context.GateInfo,
        context.DimensionSection,
        context.AnswerLine,
        context.ActionItem,
        context.SourceInfo,
        context.PlanPhase,
        glossary.GlossaryEntry,
    ]
    for model in classes:
        for field in dataclasses.fields(model):
            assert f"`{field.name}`" in documented, f"{model.__name__}.{field.name} is not in docs/report.md"


def test_rendering_leaves_garbage_collection_on(sample_pdf: tuple[PdfReader, list[str]]) -> None:
    import gc

    assert sample_pdf[0].pages  # rendered (the GC is paused only while WeasyPrint lays out)
    assert gc.isenabled()


@pytest.mark.slow  # a subprocess
def test_system_check_runs_as_a_module_for_bootstrap_scripts() -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "cbectool.system"], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (0, "PDF libraries: all present\n")


def _generic_answers(questionnaire: Any, pick: str) -> dict[str, Any]:
    """Lowest-, middle- or highest-scoring answers, found from the questionnaire itself (no ids assumed)."""
    from cbectool.questionnaire import QuestionType

    answers: dict[str, Any] = {}
    for question in questionnaire.questions():
        if question.type == QuestionType.TEXT:
            answers[question.id] = "Ayesha"
            continue
        if question.type == QuestionType.NUMBER:
            values = sorted({question.min or 0.0, *(step.at_least for step in question.scoring)})
            answers[question.id] = {"low": values[0], "middle": values[len(values) // 2], "high": values[-1]}[pick]
            continue
        usable = sorted(
            (choice for choice in question.choices if not choice.not_applicable and not choice.exclusive),
            key=lambda choice: choice.points,
        )
        choice = {"low": usable[0], "middle": usable[len(usable) // 2], "high": usable[-1]}[pick]
        answers[question.id] = [choice.value] if question.type == QuestionType.MULTI else choice.value
    return answers


@pytest.mark.parametrize("pick", ["low", "middle", "high"])
def test_bundled_questionnaire_smoke(pick: str) -> None:
    from markupsafe import escape

    questionnaire = resources.load()
    data = {"questionnaire": {"id": questionnaire.id}, "business": {"name": "Smoke Test Traders"}}
    evaluated = evaluate(parse_response({**data, "answers": _generic_answers(questionnaire, pick)}, "smoke"))
    html = render_report_html(evaluated)
    for dimension in questionnaire.dimensions:
        assert str(escape(localize(dimension.title))) in html
    titles = {action.id: localize(action.title) for action in questionnaire.actions}
    later = [step for step in evaluated.assessment.actions if step.phase is None]
    named = [step for step in evaluated.assessment.actions if step.phase is not None] + later[:LATER_LISTED]
    for recommended in named:  # every step of the plan, and the next steps for later, by title
        assert str(escape(titles[recommended.id])) in html
