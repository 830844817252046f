"""The trainer's buttons make the cohort's outputs from the finished response files, with batch's own code."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from serve_support import ANSWERS, PROFILE, Client, running, wait_for

from cbectool.web import trainer


def _finished(server_url: str, names: list[str]) -> None:
    for name in names:
        owner = Client(server_url)
        owner.start()
        owner.answer_all([name, *PROFILE[1:], *ANSWERS])
        owner.finish()


def test_the_buttons_call_run_batch_on_the_cohort_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the worker asks of batch: the cohort folder itself as COHORT, outputs/ as --out."""
    seen = []

    def run_batch(options: object) -> SimpleNamespace:
        seen.append(options)
        return SimpleNamespace(files=[tmp_path / "cohort" / "outputs" / "scores.csv"])

    monkeypatch.setattr("cbectool.cohort.batch.run_batch", run_batch)
    order = trainer.OutputsOrder(str(tmp_path / "cohort"), str(tmp_path / "cohort" / "outputs"), "starter", "ur", True)
    assert trainer.make_outputs(order) == ["scores.csv"]
    options = seen[0]
    assert (options.cohort, options.out) == (tmp_path / "cohort", tmp_path / "cohort" / "outputs")  # type: ignore[attr-defined]
    assert (options.reports, options.workshop_pack, options.lang) == (True, True, "ur")  # type: ignore[attr-defined]


@pytest.mark.slow  # batch's reports in worker processes
def test_scores_summary_and_workshop_pack_from_the_trainers_page(tmp_path: Path) -> None:
    with running(tmp_path / "cohort", pin="123456") as server:
        _finished(server.url, ["Ali Sports Works", "Bilal Leather"])
        desk = server.client()
        desk.trainer_login("123456")
        desk.post("/trainer/outputs", {"csrf": desk.csrf(), "kind": "scores"})
        wait_for(lambda: bool(server.workshop.outputs.state.finished), 180, "the outputs were never made")
        page = desk.get("/trainer")
        assert "could not be made" not in page.text, page.text
        for name in ("scores.csv", "scores.xlsx", "cohort-summary.pdf"):
            assert f'href="/trainer/outputs/{name}"' in page.text
        scores = desk.get("/trainer/outputs/scores.csv")
        rows = list(csv.DictReader(io.StringIO(scores.text)))
        assert sorted(row["business_name"] for row in rows) == ["Ali Sports Works", "Bilal Leather"]
        assert desk.get("/trainer/outputs/cohort-summary.pdf").body.startswith(b"%PDF")

        desk.post("/trainer/outputs", {"csrf": desk.csrf(), "kind": "pack"})
        wait_for(lambda: not server.workshop.outputs.state.running, 300, "the workshop pack was never made")
        assert desk.get("/trainer/outputs/workshop-pack.pdf").body.startswith(b"%PDF")
