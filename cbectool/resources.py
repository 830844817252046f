"""Find the data that ships with cbectool: bundled questionnaires and report templates.

In an installed wheel they live inside the package (``cbectool/questionnaires``);
in a source checkout they are the top-level folders beside ``cbectool/``.
Never looked up through the working directory.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from cbectool.errors import NotFoundError
from cbectool.loader import load_questionnaire
from cbectool.questionnaire import Questionnaire

DEFAULT_QUESTIONNAIRE = "tdap-alibaba-cbec"


def data_dir(name: str) -> Path:
    """``questionnaires`` or ``report_templates``, wherever this copy of cbectool keeps them."""
    packaged = Path(str(files("cbectool"))) / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise NotFoundError(f"cbectool's '{name}' folder is missing from this installation; reinstall cbectool")


def questionnaires_dir() -> Path:
    return data_dir("questionnaires")


def templates_dir() -> Path:
    return data_dir("report_templates")


def bundled_questionnaire_paths() -> dict[str, Path]:
    """Questionnaire id (the file's stem) to its file."""
    return {path.stem: path for path in sorted(questionnaires_dir().glob("*.yaml"))}


@cache
def _load_cached(path: Path, mtime_ns: int, display_name: str) -> Questionnaire:
    return load_questionnaire(path, display_name=display_name)


def load(reference: str | None = None) -> Questionnaire:
    """A questionnaire by bundled id, or by path to a YAML file; the default when ``None``."""
    reference = reference or DEFAULT_QUESTIONNAIRE
    bundled = bundled_questionnaire_paths()
    if reference in bundled:
        path = bundled[reference]
        display_name = f"questionnaires/{path.name}"
    else:
        path = Path(reference)
        display_name = reference
        if not (path.suffix in (".yaml", ".yml") or path.exists()):
            known = ", ".join(bundled) or "none"
            raise NotFoundError(f"no questionnaire '{reference}' (bundled: {known}; or give a path to a .yaml file)")
        if not path.is_file():
            raise NotFoundError(f"{reference}: no such questionnaire file")
        path = path.resolve()
    return _load_cached(path, path.stat().st_mtime_ns, display_name)
