"""``--shard K/N`` splits a cohort into disjoint, complete parts; ``batch-merge`` rebuilds the single-run result."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbectool.cli import app
from cbectool.cohort.batch import BatchOptions, Shard, ShardError, run_batch
from cbectool.scoring import Evaluated

MESSY = Path(__file__).parent / "data" / "cohorts" / "messy.csv"
runner = CliRunner()


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))[1:]


def stats_of(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["ready"] = sorted(map(tuple, data["ready"]))
    data["not_ready"] = sorted(map(tuple, data["not_ready"]))
    return dict(data)


def fake_render(evaluated: Evaluated, template_dir: Path | None, lang: str) -> bytes:
    """Shards are about rows, not PDFs: a few bytes instead of a real report."""
    return b"%PDF-fake"


def batch(starter_path: Path, out: Path, shard: Shard | None = None) -> int:
    options = BatchOptions(MESSY, out, str(starter_path), reports=True, workers=1, summary=False, shard=shard)
    return int(run_batch(options, renderer=fake_render).exit_code)


def report_names(out: Path) -> list[str]:
    return sorted(path.name for path in (out / "reports").glob("*.pdf"))


def test_shards_are_disjoint_complete_and_merge_to_the_single_run(starter_path: Path, tmp_path: Path) -> None:
    assert batch(starter_path, tmp_path / "single") == 3
    single_scores = rows_of(tmp_path / "single" / "scores.csv")
    single_errors = rows_of(tmp_path / "single" / "errors.csv")

    shard_dirs = [tmp_path / f"shard-{index}" for index in (1, 2, 3)]
    for index, shard_dir in enumerate(shard_dirs, start=1):
        batch(starter_path, shard_dir, Shard(index, 3))
    parts = [{row[0] for row in rows_of(shard_dir / "scores.csv")} for shard_dir in shard_dirs]
    assert sum(len(part) for part in parts) == len(set().union(*parts)) == len(single_scores)
    assert set().union(*parts) == {row[0] for row in single_scores}
    for index, part in enumerate(parts, start=1):
        assert all(int(row) % 3 == index - 1 for row in part)
    # Report names are given over the whole sheet, so shards never clash: the duplicate name is numbered.
    assert sorted(name for shard_dir in shard_dirs for name in report_names(shard_dir)) == report_names(
        tmp_path / "single"
    )
    assert "Ali-Sports-Works-2.pdf" in report_names(tmp_path / "single")

    merged = tmp_path / "merged"
    result = runner.invoke(
        app, ["batch-merge", *map(str, shard_dirs), "-q", str(starter_path), "-o", str(merged), "--no-summary"]
    )
    assert result.exit_code == 3
    assert rows_of(merged / "scores.csv") == single_scores
    assert rows_of(merged / "errors.csv") == single_errors
    assert stats_of(merged / "cohort-stats.json") == stats_of(tmp_path / "single" / "cohort-stats.json")
    assert report_names(merged) == report_names(tmp_path / "single")
    assert "Scored 4 of 8 businesses." in result.stdout


def test_merge_refuses_a_folder_that_is_not_a_shard(starter_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch-merge", str(tmp_path), "-q", str(starter_path), "-o", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path}: has no scores.csv; is it the --out folder of a 'cbectool batch --shard' run?\n"
    )


@pytest.mark.parametrize(("text", "shard"), [("1/1", Shard(1, 1)), (" 2 / 8 ", Shard(2, 8)), ("8/8", Shard(8, 8))])
def test_shard_parse(text: str, shard: Shard) -> None:
    assert Shard.parse(text) == shard


@pytest.mark.parametrize(
    ("text", "message"),
    [("0/3", "K must be between 1 and N"), ("4/3", "K must be between 1 and N"), ("a/b", "write K/N")],
)
def test_shard_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ShardError) as caught:
        Shard.parse(text)
    assert message in str(caught.value)


def test_bad_shard_option_exits_2(starter_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(MESSY), "-q", str(starter_path), "-o", str(tmp_path), "--shard", "3"])
    assert result.exit_code == 2
    assert result.stderr == "Error: --shard '3': write K/N, for example 2/8\n"
