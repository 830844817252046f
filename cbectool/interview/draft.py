"""Where interviews are kept: drafts saved after every answer, and finished results.

Layout (README, "cbectool assess"): ``~/cbectool/drafts/`` and ``~/cbectool/results/``;
``CBECTOOL_HOME`` or ``--out DIR`` replaces ``~/cbectool``. File names come from the
business name (``files.safe_stem``) and are numbered rather than overwrite another file.
A draft is a JSON object: the response so far (the response-file contract, answers of
hidden questions included), the position, and the questionnaire it was started with.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from cbectool import __version__, resources
from cbectool.errors import CbecError, NotFoundError, ResponseError
from cbectool.files import safe_stem, write_text_atomic
from cbectool.interview.flow import Interview, State, restore_answers
from cbectool.invocation import command_name
from cbectool.notices import AnyWarning
from cbectool.questionnaire import Questionnaire
from cbectool.response import answers_to_json, parse_response
from cbectool.scoring import Evaluated
from cbectool.text import language_for

DRAFT_FORMAT = "cbectool-draft"
DRAFT_FORMAT_VERSION = 1
HOME_VARIABLE = "CBECTOOL_HOME"


class DraftError(CbecError):
    """A draft file that cannot be continued; the message names the file."""


def home(out: Path | None = None) -> Path:
    """The folder that holds ``drafts/`` and ``results/``: ``--out``, else ``$CBECTOOL_HOME``, else ``~/cbectool``."""
    if out is not None:
        return out
    configured = os.environ.get(HOME_VARIABLE, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path.home() / "cbectool"


def drafts_dir(base: Path) -> Path:
    return base / "drafts"


def results_dir(base: Path) -> Path:
    return base / "results"


def free_path(folder: Path, stem: str, suffixes: tuple[str, ...] = (".json",)) -> Path:
    """``folder/stem.json``, or ``stem-2``, ``stem-3``...: the first name no existing file uses."""
    number = 1
    while True:
        candidate = stem if number == 1 else f"{stem}-{number}"
        if not any((folder / f"{candidate}{suffix}").exists() for suffix in suffixes):
            return folder / f"{candidate}{suffixes[0]}"
        number += 1


def questionnaire_source(reference: str | None) -> str:
    """How a draft remembers its questionnaire: a bundled id, or the file's absolute path."""
    reference = reference or resources.DEFAULT_QUESTIONNAIRE
    if reference in resources.bundled_questionnaire_paths():
        return reference
    return str(Path(reference).expanduser().resolve())


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class Draft:
    """One interview's draft file. ``path`` is chosen when the business name is first known."""

    folder: Path
    source: str  # see ``questionnaire_source``
    path: Path | None = None
    started: str = field(default_factory=_now)

    def save(self, interview: Interview) -> Path | None:
        """Write the draft atomically, readable by its owner only; nothing to write before the business has a name."""
        if not interview.business_name:
            return None
        if self.path is None:
            self.path = free_path(self.folder, safe_stem(interview.business_name))
        write_text_atomic(self.path, _dump(self.document(interview)), private=True)
        return self.path

    def document(self, interview: Interview) -> dict[str, Any]:
        questionnaire = interview.questionnaire
        state = interview.state
        return {
            "format": DRAFT_FORMAT,
            "format_version": DRAFT_FORMAT_VERSION,
            "response": {
                "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
                "business": dict(state.business),
                "answers": answers_to_json(state.answers),
                "tool_version": __version__,
                "language": interview.lang,
            },
            "questionnaire_source": self.source,
            "position": {"step": state.position, "editing": state.editing},
            "visited": [step.key for step in interview.steps if step.key in state.visited],
            "started": self.started,
            "saved": _now(),
        }

    def remove(self) -> None:
        """Delete the draft once its result is saved, so it is not offered again."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)


class _Position(BaseModel):
    model_config = ConfigDict(extra="forbid")
    step: str
    editing: bool = False


class _DraftFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["cbectool-draft"]
    format_version: int
    response: dict[str, Any]
    questionnaire_source: str
    position: _Position
    visited: list[str] = []
    started: str
    saved: str


@dataclass(frozen=True)
class DraftSummary:
    """What the resume offer shows about a draft."""

    path: Path
    business_name: str
    saved: str
    source: str
    questionnaire_id: str


def read_draft(path: Path) -> tuple[_DraftFile, DraftSummary]:
    """Parse and check a draft file's structure; errors name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DraftError(f"{path}: no such draft file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DraftError(f"{path}: cannot be read as a draft ({exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DraftError(
            f"{path}:{exc.lineno}: is not a cbectool draft (broken JSON: {exc.msg}); "
            f"start again with {command_name()} assess"
        ) from None
    if not isinstance(data, dict) or data.get("format") != DRAFT_FORMAT:
        if isinstance(data, dict) and "answers" in data and "questionnaire" in data:
            raise DraftError(f"{path}: is a response file, not a draft; use: {command_name()} assess --answers {path}")
        raise DraftError(f"{path}: is not a cbectool draft")
    version = data.get("format_version")
    if isinstance(version, int) and version > DRAFT_FORMAT_VERSION:
        raise DraftError(f"{path}: was saved by a newer cbectool (draft format {version}); update cbectool")
    try:
        draft = _DraftFile.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise DraftError(f"{path}: is not a usable cbectool draft ({where}: {error['msg']})") from None
    business = draft.response.get("business")
    name = business.get("name") if isinstance(business, dict) else None
    reference = draft.response.get("questionnaire")
    questionnaire_id = reference.get("id") if isinstance(reference, dict) else None
    return draft, DraftSummary(path, str(name or ""), draft.saved, draft.questionnaire_source, str(questionnaire_id))


def load_draft(
    path: Path, questionnaire: Questionnaire | None = None, *, lang: str | None = None
) -> tuple[Interview, Draft, list[AnyWarning]]:
    """Continue a draft: the interview where it stopped, its file, and warnings about dropped answers.

    ``questionnaire`` defaults to the one the draft was started with, ``lang`` to the draft's language.
    """
    data, _ = read_draft(path)
    try:
        response = parse_response(data.response, f"{path}: response")
    except ResponseError as error:
        raise DraftError(str(error).splitlines()[0]) from None
    if questionnaire is None:
        try:
            questionnaire = resources.load(data.questionnaire_source)
        except NotFoundError as error:
            raise DraftError(f"{path}: questionnaire_source: {error}") from None
    if response.questionnaire.id != questionnaire.id:
        raise DraftError(
            f"{path}: was started with questionnaire '{response.questionnaire.id}', not '{questionnaire.id}'; "
            "leave out --questionnaire to continue it"
        )
    language = language_for(lang, response.language, questionnaire, str(path))
    answers, dropped = restore_answers(questionnaire, response.answers, language)
    state = State(
        business={key: value for key, value in response.business.model_dump().items() if value},
        answers=answers,
        position=data.position.step,
        editing=data.position.editing,
        visited=set(data.visited) - (set(response.answers) - set(answers)),  # dropped answers are asked again
    )
    warnings: list[AnyWarning] = [
        replace(notice, text=f"{path}: {notice.text}", grouped=f"{path}: {notice.grouped}") for notice in dropped
    ]
    if response.questionnaire.version not in (None, questionnaire.version):
        warnings.insert(
            0,
            f"{path}: was started on version {response.questionnaire.version} of {questionnaire.id}; "
            f"continuing with version {questionnaire.version}",
        )
    interview = Interview(questionnaire, state, lang=language)
    return interview, Draft(path.parent, data.questionnaire_source, path, data.started), warnings


def latest_draft(folder: Path) -> Path | None:
    """The most recently saved draft in ``folder``, if any."""
    drafts = [path for path in folder.glob("*.json") if path.is_file() and not path.name.startswith(".")]
    return max(drafts, key=lambda path: path.stat().st_mtime_ns, default=None)


def result_document(evaluated: Evaluated, *, today: date | None = None) -> dict[str, Any]:
    """The response as saved in ``results/``: the response-file contract, answers normalised."""
    response = evaluated.response
    questionnaire = evaluated.questionnaire
    extra = dict(response.model_extra or {})
    assessed = response.assessed.model_dump(exclude_none=True) if response.assessed else {}
    assessed.setdefault("on", (today or date.today()).isoformat())
    return {
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "business": response.business.model_dump(exclude_none=True),
        "answers": answers_to_json(evaluated.answers),
        "assessed": assessed,
        "tool_version": __version__,
        **({"language": response.language} if response.language else {}),
        **extra,
    }


def save_result(evaluated: Evaluated, folder: Path) -> Path:
    """Write the result JSON (owner-only) under a new name from the business name; its PDF goes beside it."""
    path = free_path(folder, safe_stem(evaluated.response.business.name), (".json", ".pdf"))
    write_text_atomic(path, _dump(result_document(evaluated)), private=True)
    return path


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
