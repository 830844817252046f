"""The trainer's view: cohort statistics (mergeable, bounded), the summary's content, the duplex workshop pack."""

from __future__ import annotations

import csv
import math
import statistics
from fractions import Fraction
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from cbectool.cohort.stats import SHORTLIST, CohortStats
from cbectool.cohort.summary import build_summary, write_workshop_pack
from cbectool.questionnaire import Questionnaire
from cbectool.scoring import Assessment, assess, format_score, validate_answers

BASE: dict[str, object] = {
    "pay_receive_channel": ["fcy_account"],
    "pay_invoice_fcy": "yes",
    "pay_refunds": "yes",
    "log_channel": "courier",
    "log_courier_registered": "yes",
    "log_hs_code": "yes",
    "log_dispatch_days": 1,
    "plat_presence": ["alibaba"],
    "plat_reply_hours": 2,
    "plat_listing_photos": "all",
}
COHORT: list[tuple[str, dict[str, object]]] = [
    ("Ready One", {}),
    ("No Payments", {"pay_receive_channel": ["none"]}),
    ("Slow Replies", {"plat_reply_hours": 60, "plat_listing_photos": "none"}),
    ("Ready Two", {"log_hs_code": "no"}),
    ("Nowhere Online", {"plat_presence": ["none"], "pay_invoice_fcy": "no"}),
]


def assessed(starter: Questionnaire) -> list[tuple[int, str, Assessment]]:
    return [
        (row, name, assess(starter, validate_answers(starter, {**BASE, **changes})))
        for row, (name, changes) in enumerate(COHORT, start=2)
    ]


def stats_for(starter: Questionnaire, rows: list[tuple[int, str, Assessment]]) -> CohortStats:
    stats = CohortStats.for_questionnaire(starter)
    for row, name, assessment in rows:
        stats.add(row, name, "Sialkot", assessment)
    return stats


def test_summary_counts_levels_spreads_weakest_and_shortlists(starter: Questionnaire) -> None:
    rows = assessed(starter)
    summary = build_summary(stats_for(starter, rows), starter)

    top = starter.levels[-1]
    ready = [
        (assessment.overall.score, -row, name) for row, name, assessment in rows if assessment.overall.level == top.id
    ]
    assert summary.businesses == len(COHORT)
    assert summary.ready_count == len(ready)
    assert [row.name for row in summary.ready] == [name for _, _, name in sorted(ready, reverse=True)]
    assert [row.rank for row in summary.ready] == list(range(1, len(ready) + 1))
    assert [row.score for row in summary.ready] == [format_score(score) for score, _, _ in sorted(ready, reverse=True)]

    names = {level.id: level.name for level in starter.levels}
    expected_levels = [
        (names[level.id], sum(1 for _, _, a in rows if a.overall.level == level.id))
        for level in reversed(starter.levels)
    ]
    assert [(bar.label, bar.value_text.split()[0]) for bar in summary.level_chart.bars] == [
        (label, str(count)) for label, count in expected_levels
    ]

    for dimension, row in zip(starter.dimensions, summary.dimensions, strict=True):
        scores = [a.dimension(dimension.id).score for _, _, a in rows if a.dimension(dimension.id).score is not None]
        # one rule for every score, averages included: exact, then cut (never rounded up) to one decimal
        exact_mean = sum(Fraction(str(score)) for score in scores if score is not None) / len(scores)
        assert row.mean == format_score(math.floor(exact_mean * 10) / 10)
        assert row.spread == f"{statistics.pstdev(scores):.1f}"
        assert (row.low, row.high) == (format_score(min(scores)), format_score(max(scores)))
    means = {
        dimension.title: statistics.fmean(
            a.dimension(dimension.id).score or 0.0 for _, _, a in rows if a.dimension(dimension.id).score is not None
        )
        for dimension in starter.dimensions
    }
    assert [row.title for row in summary.weakest] == sorted(means, key=lambda title: means[title])

    not_ready = [(a, name) for _, name, a in rows if a.overall.level != top.id]
    titles = {action.id: action.title for action in starter.actions}
    firsts = {name: titles[a.actions[0].id] for a, name in not_ready}
    assert {row.name: row.first_training for row in summary.not_ready} == firsts
    counted = {action.title: action.count for action in summary.first_trainings}
    for title in set(firsts.values()):
        assert counted[title] == list(firsts.values()).count(title)
    all_actions = [action.id for _, _, a in rows for action in a.actions]
    assert {action.title: action.count for action in summary.actions} == {
        titles[action_id]: all_actions.count(action_id) for action_id in set(all_actions)
    }


def test_merged_statistics_equal_one_pass_and_survive_json(starter: Questionnaire) -> None:
    rows = assessed(starter)
    whole = stats_for(starter, rows)
    merged = stats_for(starter, rows[::2])
    merged.merge(CohortStats.from_json(stats_for(starter, rows[1::2]).to_json()))

    def canonical(stats: CohortStats) -> dict[str, object]:
        data = stats.to_json()
        for key in ("ready", "not_ready"):
            data[key] = sorted(map(tuple, data[key]))
        for values in data["dimensions"].values():
            values["total"] = round(values["total"], 9)
            values["squares"] = round(values["squares"], 9)
        return data

    assert canonical(merged) == canonical(whole)


def test_a_business_that_cannot_yet_be_paid_legally_ranks_behind_every_one_that_can(starter: Questionnaire) -> None:
    rows = assessed(starter)
    scores = {name: assessment.overall.score for _, name, assessment in rows}
    assert scores["No Payments"] > scores["Nowhere Online"]  # the better score, but no legal way to be paid
    stats = stats_for(starter, rows)
    ranked = [entry[4] for entry in stats.ranked(stats.not_ready)]
    assert ranked.index("Nowhere Online") < ranked.index("No Payments")
    assert ranked[-1] == "No Payments"
    summary = build_summary(stats, starter)
    held_back = [row for row in summary.not_ready if row.name == "No Payments"]
    assert "cannot yet be paid or registered legally" in held_back[0].level
    assert all("legally" not in row.level for row in summary.not_ready if row.name != "No Payments")
    restored = CohortStats.from_json(stats.to_json())  # batch-merge reads it back the same
    assert [entry[4] for entry in restored.ranked(restored.not_ready)] == ranked


def test_shortlists_keep_only_the_best_entries(starter: Questionnaire) -> None:
    ((_, _, assessment), *_) = assessed(starter)
    stats = CohortStats.for_questionnaire(starter)
    for row in range(2, SHORTLIST + 52):
        stats.add(row, f"B{row}", "", assessment)
    assert len(stats.ready) == SHORTLIST
    kept = sorted(entry[3] for entry in stats.ready)
    assert kept == list(range(2, SHORTLIST + 2))  # equal scores: the earliest rows rank first
    assert stats.ready_count == SHORTLIST + 50
    assert math.isclose(stats.dimensions["payments"].mean or 0.0, assessment.dimension("payments").score or 0.0)


def _pdf(path: Path, pages: int) -> None:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as stream:
        writer.write(stream)


def test_workshop_pack_starts_every_document_on_a_new_sheet(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    _pdf(tmp_path / "cohort-summary.pdf", 3)
    lengths = {"A.pdf": 1, "B.pdf": 2, "C.pdf": 3}
    for name, pages in lengths.items():
        _pdf(tmp_path / "reports" / name, pages)
    with (tmp_path / "scores.csv").open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["row", "business_name", "report"])
        writer.writerows([[2, "C", "reports/C.pdf"], [3, "A", "reports/A.pdf"], [4, "failed", "reports/missing.pdf"]])
        writer.writerow([5, "B", "reports/B.pdf"])

    written = write_workshop_pack(tmp_path, tmp_path / "pack.pdf")

    # the summary (3 pages + 1 blank), C (3 + 1), A (1 + 1), B (2); the missing report is in errors.csv instead
    assert written == [tmp_path / "pack.pdf"]
    assert len(PdfReader(tmp_path / "pack.pdf").pages) == 4 + 4 + 2 + 2
    assert not list(tmp_path.glob(".pack.pdf.*"))


def test_a_large_pack_is_split_into_volumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cbectool.cohort.summary as summary

    monkeypatch.setattr(summary, "PACK_VOLUME", 2)
    (tmp_path / "reports").mkdir()
    _pdf(tmp_path / "cohort-summary.pdf", 1)
    with (tmp_path / "scores.csv").open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["row", "report"])
        for row, pages in enumerate([2, 1, 3], start=2):
            _pdf(tmp_path / "reports" / f"R{row}.pdf", pages)
            writer.writerow([row, f"reports/R{row}.pdf"])

    written = write_workshop_pack(tmp_path, tmp_path / "pack.pdf")

    assert written == [tmp_path / "pack-1.pdf", tmp_path / "pack-2.pdf"]
    assert [len(PdfReader(path).pages) for path in written] == [2 + 2, 2 + 4]
