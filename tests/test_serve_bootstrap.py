"""./run test installs the browser that the tests of cbectool serve drive, or names the exact apt-get line."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs ./run in subprocesses

ROOT = Path(__file__).resolve().parent.parent


def _fake(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


def test_without_chromium_a_normal_user_is_told_the_exact_apt_get_line(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    libraries = "libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz.so.0 libfontconfig.so.1 libharfbuzz-subset.so.0"
    _fake(bin_dir, "ldconfig", f"echo '{libraries}'")
    _fake(bin_dir, "id", "echo 1000")  # not root: cannot install
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(ROOT / ".venv" / "bin" / "python")
    (venv / ".cbectool-installed").write_text((ROOT / ".venv" / ".cbectool-installed").read_text())
    env = dict(
        os.environ,
        PATH=f"{bin_dir}:{os.environ['PATH']}",
        CBECTOOL_VENV=str(venv),
        CBECTOOL_CHROMIUM=str(tmp_path / "no-chromium"),
    )
    done = subprocess.run(["bash", str(ROOT / "run"), "test"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "The browser tests need Chromium. Install it with:  sudo apt-get install -y chromium" in done.stderr
    assert "passed" not in done.stdout  # stopped before any test ran
