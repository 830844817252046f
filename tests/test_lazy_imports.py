"""Start-up stays fast: the CLI and the report package leave WeasyPrint and other heavy modules unimported."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # each test starts a fresh interpreter

HEAVY = ("weasyprint", "openpyxl", "pypdf", "ruamel.yaml")


@pytest.mark.parametrize("module", ["cbectool.cli", "cbectool.report", "cbectool.commands.report", "cbectool.system"])
def test_importing_leaves_heavy_modules_out(module: str) -> None:
    code = f"import sys, {module}; print(','.join(name for name in {HEAVY!r} if name in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_help_and_version_build_no_questionnaire_models() -> None:
    """Commands import the core (pydantic models, YAML) when they run, so `cbectool --help` starts fast."""
    code = (
        "import sys, cbectool.cli; "
        "print(','.join(m for m in ('cbectool.questionnaire', 'cbectool.loader', 'yaml') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


WEB_STACK = ("starlette", "uvicorn", "multipart", "python_multipart", "segno", "psutil", "cbectool.web")


def test_the_web_stack_loads_only_inside_cbectool_serve() -> None:
    """``cbectool serve`` registers with the CLI; Starlette, uvicorn and the pages load only when it runs."""
    code = f"import sys, cbectool.cli; print(','.join(m for m in {WEB_STACK!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
    listed = subprocess.run(
        [sys.executable, "-m", "cbectool", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "serve" in listed
