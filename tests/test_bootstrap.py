"""./run, the Quick start's entry point: it names the exact system packages it cannot install itself."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs ./run in subprocesses

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


def _venv(tmp_path: Path, python: str | None = None, *, installed: bool = True) -> Path:
    """A stand-in for .venv (none is needed in the checkout): ``python`` is a script, or this interpreter."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    if python is None:
        (venv / "bin" / "python").symlink_to(sys.executable)
    else:
        _fake(venv / "bin", "python", python)
    if installed:  # the stamp ./run writes after installing: the hash of pyproject.toml
        digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
        (venv / ".cbectool-installed").write_text(f"{digest}\n")
    return venv


def test_without_harfbuzz_subset_a_normal_user_is_told_once_how_to_speed_up_reports(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    required = "libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz.so.0 libfontconfig.so.1"
    _fake(bin_dir, "ldconfig", f"echo '{required}'")  # everything but libharfbuzz-subset.so.0
    _fake(bin_dir, "id", "echo 1000")
    _fake(bin_dir, "fc-list", "echo 'DejaVu Sans'")
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", CBECTOOL_VENV=str(_venv(tmp_path)))

    first, second = (
        subprocess.run(["bash", str(ROOT / "run"), "check"], env=env, capture_output=True, text=True, check=False)
        for _ in range(2)
    )

    assert (first.returncode, second.returncode) == (0, 0)
    assert "sudo apt-get install -y libharfbuzz-subset0" in first.stderr
    assert "libharfbuzz-subset0" not in second.stderr
    assert "All set." in second.stderr


NOISE = "\n".join(f"(Reading database ... {percent}%" for percent in range(0, 101, 5))


def _first_run_as_root(tmp_path: Path, apt_get: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """./run check as root on a machine without Pango, .venv made but not installed yet."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake(bin_dir, "ldconfig", "exit 0")  # knows no libraries: Pango and HarfBuzz-Subset are missing
    _fake(bin_dir, "id", "echo 0")
    _fake(bin_dir, "fc-list", "echo 'DejaVu Sans'")
    _fake(bin_dir, "apt-get", apt_get)
    pip = "echo 'Collecting weasyprint'; echo 'WARNING: Location is ignored' >&2; echo 'Successfully installed'"
    venv = _venv(tmp_path, pip, installed=False)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", CBECTOOL_VENV=str(venv), LC_ALL="C")
    done = subprocess.run(["bash", str(ROOT / "run"), "check"], env=env, capture_output=True, text=True, check=False)
    return done, venv / "setup.log"


def test_a_first_run_says_a_few_clear_lines_and_keeps_the_installers_output_in_a_log(tmp_path: Path) -> None:
    done, log = _first_run_as_root(tmp_path, f"printf '%s\\n' '{NOISE}' 'Setting up libpango-1.0-0'")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"Setting up cbectool (the full log: {log})",
        "  installing system packages: "
        "fonts-dejavu-core libfontconfig1 libharfbuzz0b libpango-1.0-0 libpangoft2-1.0-0 ...",
        f"  installing cbectool and its Python packages into {log.parent} (first run only: a few minutes) ...",
        "  installing libharfbuzz-subset0 (PDF reports about 25% faster; optional) ...",
        "All set.",
    ]
    assert "Reading database" not in done.stderr + done.stdout
    logged = log.read_text()
    for line in ("(Reading database ... 5%", "Setting up libpango-1.0-0", "Collecting weasyprint", "WARNING: Location"):
        assert line in logged


def test_a_failed_step_shows_the_end_of_the_log_and_where_the_rest_is(tmp_path: Path) -> None:
    apt_get = f"printf '%s\\n' '{NOISE}'; echo 'E: Unable to locate package libpango-1.0-0' >&2; exit 100"
    done, log = _first_run_as_root(tmp_path, apt_get)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[2] == "Could not finish: installing system packages. The end of the log:"
    assert "    E: Unable to locate package libpango-1.0-0" in lines
    assert lines[-1] == f"The full log: {log}"
    assert len(lines) <= 3 + 15 + 1


def test_run_tells_cbectool_how_it_was_started(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    required = "libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz.so.0 libfontconfig.so.1 libharfbuzz-subset.so.0"
    _fake(bin_dir, "ldconfig", f"echo '{required}'")
    _fake(bin_dir, "fc-list", "echo 'DejaVu Sans'")
    venv = _venv(tmp_path)
    _fake(venv / "bin", "cbectool", 'echo "$CBECTOOL_INVOKED_AS"')
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", CBECTOOL_VENV=str(venv))
    for run, expected in (("./run", "./run cbectool"), (str(ROOT / "run"), f"{ROOT / 'run'} cbectool")):
        for command in ("cbectool", "assess"):
            done = subprocess.run([run, command], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
            assert (done.returncode, done.stdout) == (0, f"{expected}\n"), done.stderr


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
