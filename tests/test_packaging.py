"""The wheel carries the questionnaires and templates, and works installed outside the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from cbectool import i18n

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(dist.glob("cbectool-*.whl"))


@pytest.mark.slow  # a subprocess
def test_wheel_contains_questionnaires_and_report_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    bundled = {path.name for path in (ROOT / "questionnaires").glob("*.yaml")}
    assert {name.removeprefix("cbectool/questionnaires/") for name in names if name.endswith(".yaml")} >= bundled
    templates = [path.relative_to(ROOT).as_posix() for path in (ROOT / "report_templates").rglob("*") if path.is_file()]
    assert templates, "report_templates/ must not be empty"
    assert {f"cbectool/{name}" for name in templates} <= set(names)
    assert not any(name.startswith(("tests/", "questionnaires/")) for name in names)
    web = [path.relative_to(ROOT).as_posix() for path in (ROOT / "cbectool" / "web").rglob("*.*") if path.is_file()]
    assert {name for name in web if "__pycache__" not in name} <= set(names)  # cbectool serve's templates and assets
    catalogues = [path.relative_to(ROOT).as_posix() for path in (ROOT / "cbectool" / "locale").rglob("*.[mp]o")]
    assert "cbectool/locale/ur/LC_MESSAGES/cbectool.mo" in catalogues  # the interface in Urdu, compiled
    assert set(catalogues) <= set(names)


@pytest.mark.slow
def test_installed_wheel_runs_from_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    # Dependencies come from the test environment; cbectool itself only from the fresh install.
    env = dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"], PYTHONSAFEPATH="1")
    outside = tmp_path / "elsewhere"
    outside.mkdir()

    def run(*args: str) -> str:
        done = subprocess.run(args, cwd=outside, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    location = run(
        str(python),
        "-c",
        "import cbectool, cbectool.resources as r; print(cbectool.__file__); "
        "print(r.questionnaires_dir()); print(r.templates_dir())",
    )
    for line in location.splitlines():
        assert line.startswith(str(environment)), line
    listed = json.loads(run(str(environment / "bin" / "cbectool"), "questionnaire", "list", "--format", "json"))
    assert "tdap-alibaba-cbec" in {item["id"] for item in listed}
    urdu = run(str(python), "-c", "from cbectool import i18n; print(i18n.gettext('Your result', 'ur'))")
    assert urdu.strip() == i18n.gettext("Your result", "ur") != "Your result"  # read from the installed package
