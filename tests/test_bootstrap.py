"""./run, the Quick start's entry point: it names the exact system packages it cannot install itself."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _fake(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


def test_missing_pango_as_a_normal_user_prints_the_exact_apt_get_line(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake(bin_dir, "ldconfig", "exit 0")  # knows no libraries: Pango is missing
    _fake(bin_dir, "id", "echo 1000")  # not root: cannot install
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
    done = subprocess.run(["bash", str(ROOT / "run"), "check"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "Install them with:  sudo apt-get install -y" in done.stderr
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"):
        assert package in done.stderr


def test_unknown_subcommand_shows_usage_and_exits_2() -> None:
    done = subprocess.run(["bash", str(ROOT / "run"), "frobnicate"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "./run assess" in done.stdout
    assert "./run test" in done.stdout


def test_without_harfbuzz_subset_a_normal_user_is_told_once_how_to_speed_up_reports(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    required = "libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz.so.0 libfontconfig.so.1"
    _fake(bin_dir, "ldconfig", f"echo '{required}'")  # everything but libharfbuzz-subset.so.0
    _fake(bin_dir, "id", "echo 1000")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(ROOT / ".venv" / "bin" / "python")
    (venv / ".cbectool-installed").write_text((ROOT / ".venv" / ".cbectool-installed").read_text())
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", CBECTOOL_VENV=str(venv))

    first, second = (
        subprocess.run(["bash", str(ROOT / "run"), "check"], env=env, capture_output=True, text=True, check=False)
        for _ in range(2)
    )

    assert (first.returncode, second.returncode) == (0, 0)
    assert "sudo apt-get install -y libharfbuzz-subset0" in first.stderr
    assert "libharfbuzz-subset0" not in second.stderr
    assert "All set." in second.stderr
