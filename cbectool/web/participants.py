"""The participants of a workshop session and their answers, kept as files in the cohort folder.

Files are the contract (docs/workshop.md)::

    COHORT/NAME.json             a finished check: an ordinary response file (score, report, batch read it)
    COHORT/NAME.pdf              its report
    COHORT/drafts/NAME.json      an unfinished check, a draft exactly as ``cbectool assess`` keeps one
    COHORT/.cbectool-serve/      the session's own files: one record per participant, the CSRF secret

A record names the participant's draft and result, the short code and a hash of the
cookie token (never the token). Every answer is written to the draft atomically before
the page says it is saved; the record is written before a file it names, so a crash at
any moment leaves either the old state or the new one. The interviews themselves are
rebuilt from the drafts when needed, so memory does not grow with the participants.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from cbectool import resources
from cbectool.errors import CbecError
from cbectool.files import safe_stem, write_text_atomic
from cbectool.interview.draft import Draft, DraftError, free_path, load_draft, questionnaire_source, result_document
from cbectool.interview.flow import Feedback, Interview, Outcome
from cbectool.questionnaire import Questionnaire
from cbectool.response import load_response
from cbectool.text import localize
from cbectool.web import security
from cbectool.web.engine import Evaluated, assessment_to_public, evaluate

SESSION_DIR = ".cbectool-serve"
RECORDS_DIR = "participants"
SECRET_FILE = "secret"
DRAFTS_DIR = "drafts"
RECORD_FORMAT = "cbectool-serve-participant"

MAX_PARTICIPANTS = 500
"""Checks a session takes in all: a workshop has 20 to 60 owners; this bounds the drafts on disk."""
MAX_PER_ADDRESS = 30
"""Checks one phone (one network address) may start: enough for a trainer's phone passed round."""
INTERVIEWS_IN_MEMORY = 128
"""Interviews kept ready between answers; others are rebuilt from their drafts (a few milliseconds)."""
RESULTS_IN_MEMORY = 256
TOKENS_PER_PARTICIPANT = 10

T = TypeVar("T")
UNSAVED = frozenset({Outcome.INVALID, Outcome.FIRST, Outcome.HELP})


class SessionFull(CbecError):
    """No more participants can join (the session's or this address's limit)."""


@dataclass
class Participant:
    """One owner's check. Saved fields first; the rest is what the trainer's table shows."""

    id: str
    token_hashes: list[str]  # one per device that opened the check (the first, then each code used)
    code: str
    address: str
    started: str
    lang: str = "en"
    draft: str | None = None  # file name in drafts/
    result: str | None = None  # file name in the cohort folder
    report_lang: str = "en"
    name: str = ""
    done: int = 0
    total: int = 0
    level: str = ""  # the level's name, once finished
    score: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def finished(self) -> bool:
        return self.result is not None

    def record(self) -> dict[str, Any]:
        return {
            "format": RECORD_FORMAT,
            "id": self.id,
            "tokens_sha256": self.token_hashes,
            "code": self.code,
            "address": self.address,
            "started": self.started,
            "lang": self.lang,
            "draft": self.draft,
            "result": self.result,
            "report_lang": self.report_lang,
        }


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


class ParticipantStore:
    """Every participant of the session in ``folder``; safe to use from many threads at once.

    One lock per participant orders that participant's answers; the store's own lock guards
    the registry and the choice of new file names (two owners may type the same business name).
    """

    def __init__(
        self,
        folder: Path,
        questionnaire_reference: str | None = None,
        *,
        max_participants: int = MAX_PARTICIPANTS,
        max_per_address: int = MAX_PER_ADDRESS,
    ) -> None:
        self.folder = folder
        self.questionnaire: Questionnaire = resources.load(questionnaire_reference)  # errors name it as given
        self.source = questionnaire_source(questionnaire_reference)
        self.max_participants = max_participants
        self.max_per_address = max_per_address
        self.drafts = folder / DRAFTS_DIR
        self.session = folder / SESSION_DIR
        self._records = self.session / RECORDS_DIR
        self._lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._by_id: dict[str, Participant] = {}
        self._by_token: dict[str, Participant] = {}
        self._by_code: dict[str, Participant] = {}
        self._interviews: OrderedDict[str, Interview] = OrderedDict()
        self._results: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()

    # The session's files

    def open(self) -> list[str]:
        """Create the folders and read the participants of an earlier run; returns warnings."""
        try:
            self.drafts.mkdir(parents=True, exist_ok=True)
            self._records.mkdir(parents=True, exist_ok=True)
            self.session.chmod(0o700)
        except OSError as exc:
            raise CbecError(f"{self.folder}: cannot use this folder ({exc.strerror})") from None
        for folder in (self.folder, self.drafts, self._records):
            for leftover in folder.glob(".*.json.*.tmp"):  # a write a kill interrupted: never a whole file
                leftover.unlink(missing_ok=True)
        warnings = []
        for path in sorted(self._records.glob("*.json")):
            try:
                participant = self._read_record(path)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                warnings.append(f"{path}: not a participant record ({exc}); left out")
                continue
            warnings += self._restore(participant)
            self._register(participant)
        return warnings

    def secret(self) -> bytes:
        """The key that signs CSRF tokens; kept (owner-only) so that open pages survive a restart."""
        path = self.session / SECRET_FILE
        try:
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            pass
        value = secrets.token_bytes(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(value.hex())
        return value

    def _read_record(self, path: Path) -> Participant:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != RECORD_FORMAT or data["id"] != path.stem:
            raise ValueError("unknown format")
        return Participant(
            id=str(data["id"]),
            token_hashes=[str(item) for item in data["tokens_sha256"]],
            code=str(data["code"]),
            address=str(data["address"]),
            started=str(data["started"]),
            lang=str(data.get("lang") or "en"),
            draft=data.get("draft"),
            result=data.get("result"),
            report_lang=str(data.get("report_lang") or "en"),
        )

    def _restore(self, participant: Participant) -> list[str]:
        """Bring a record of an earlier run in line with the files (a crash may have come between two writes)."""
        if participant.result is not None and not (self.folder / participant.result).is_file():
            participant.result = None  # the record was written, the result never was: still a draft
        if participant.draft is not None and not (self.drafts / participant.draft).is_file():
            participant.draft = None  # chosen, never written: nothing was acknowledged from it
        if participant.result is not None:
            if participant.draft is not None:
                (self.drafts / participant.draft).unlink(missing_ok=True)  # finished: as assess, no draft left
                participant.draft = None
            try:
                self._note_result(participant, self._evaluate_result(participant))
            except CbecError as error:
                return [f"{participant.result}: {str(error).splitlines()[0]}"]
            return []
        try:
            with self.interview(participant) as interview:
                self._note_progress(participant, interview)
        except DraftError as error:
            participant.draft = None
            return [str(error)]
        return []

    def _register(self, participant: Participant) -> None:
        self._by_id[participant.id] = participant
        for token_hash in participant.token_hashes:
            self._by_token[token_hash] = participant
        self._by_code[participant.code] = participant

    def _write_record(self, participant: Participant) -> None:
        write_text_atomic(self._records / f"{participant.id}.json", _dump(participant.record()), private=True)

    # Who is who

    def create(self, address: str, lang: str) -> tuple[Participant, str]:
        """A new participant and the cookie token that alone opens their check."""
        token = security.new_token()
        with self._lock:
            if len(self._by_id) >= self.max_participants:
                raise SessionFull("the session has as many participants as it takes")
            if sum(1 for item in self._by_id.values() if item.address == address) >= self.max_per_address:
                raise SessionFull(f"{address} has started as many checks as one device may")
            code = security.new_code()
            while code in self._by_code:
                code = security.new_code()
            participant = Participant(
                id=secrets.token_hex(8),
                token_hashes=[security.token_hash(token)],
                code=code,
                address=address,
                started=_now(),
                lang=lang,
                report_lang=lang,
            )
            participant.total = Interview(self.questionnaire).answered()[1]
            self._write_record(participant)
            self._register(participant)
        return participant, token

    def add_token(self, participant: Participant, token: str) -> None:
        """Another device continues with the short code: it gets a token of its own (older ones beyond
        ``TOKENS_PER_PARTICIPANT`` stop working)."""
        with participant.lock, self._lock:
            participant.token_hashes.append(security.token_hash(token))
            for old in participant.token_hashes[:-TOKENS_PER_PARTICIPANT]:
                self._by_token.pop(old, None)
            del participant.token_hashes[:-TOKENS_PER_PARTICIPANT]
            self._write_record(participant)
            self._by_token[participant.token_hashes[-1]] = participant

    def by_token(self, token: str | None) -> Participant | None:
        return self._by_token.get(security.token_hash(token)) if token else None

    def by_code(self, code: str) -> Participant | None:
        return self._by_code.get(code) if code else None

    def get(self, participant_id: str) -> Participant | None:
        return self._by_id.get(participant_id)

    def everyone(self) -> list[Participant]:
        return sorted(self._by_id.values(), key=lambda item: item.started)

    def set_language(self, participant: Participant, lang: str) -> None:
        with participant.lock:
            if participant.lang != lang:
                participant.lang = lang
                if not participant.finished:
                    participant.report_lang = lang
                self._write_record(participant)

    # Answering

    @contextmanager
    def interview(self, participant: Participant) -> Iterator[Interview]:
        """The participant's interview, in their language (hold ``participant.lock`` to change it)."""
        with self._cache_lock:
            interview = self._interviews.get(participant.id)
            if interview is not None:
                self._interviews.move_to_end(participant.id)
        if interview is None:
            if participant.draft is not None:
                interview, _, _ = load_draft(self.drafts / participant.draft, self.questionnaire)
            else:
                interview = Interview(self.questionnaire)
            with self._cache_lock:
                self._interviews[participant.id] = interview
                while len(self._interviews) > INTERVIEWS_IN_MEMORY:
                    self._interviews.popitem(last=False)
        interview.lang = participant.lang
        yield interview

    def read(self, participant: Participant, view: Callable[[Interview], T]) -> T:
        """Whatever ``view`` takes from the interview, consistently (no answer lands half-way through)."""
        with participant.lock, self.interview(participant) as interview:
            return view(interview)

    def act(self, participant: Participant, action: Callable[[Interview], Feedback]) -> Feedback:
        """Apply an answer, a step back or a jump; saved on disk before this returns."""
        with participant.lock:
            if participant.finished:
                return Feedback(Outcome.FINISH)
            with self.interview(participant) as interview:
                feedback = action(interview)
                if feedback.outcome not in UNSAVED:
                    self._save_draft(participant, interview)
                self._note_progress(participant, interview)
        return feedback

    def _save_draft(self, participant: Participant, interview: Interview) -> None:
        if not interview.business_name:
            return
        draft = Draft(self.drafts, self.source, started=participant.started)
        if participant.draft is not None:
            draft.path = self.drafts / participant.draft
            draft.save(interview)
            return
        with self._lock:  # choose a free name and take it before anyone else looks
            draft.path = free_path(self.drafts, safe_stem(interview.business_name))
            participant.draft = draft.path.name
            self._write_record(participant)
            draft.save(interview)

    def _note_progress(self, participant: Participant, interview: Interview) -> None:
        participant.name = interview.business_name
        participant.done, participant.total = interview.answered()  # as the pages and the terminal count

    def finish(self, participant: Participant) -> Feedback:
        """On the review screen: save the result as a response file, or go to the first missing answer."""
        with participant.lock:
            if participant.finished:
                return Feedback(Outcome.FINISH)
            with self.interview(participant) as interview:
                if not interview.in_review:
                    return Feedback(Outcome.INVALID)
                feedback = interview.submit_review("done")
                if feedback.outcome != Outcome.FINISH:
                    self._save_draft(participant, interview)
                    self._note_progress(participant, interview)
                    return feedback
                evaluated = evaluate(interview.response(on=date.today().isoformat()), self.questionnaire)
            self._save_result(participant, evaluated)
            with self._cache_lock:
                self._interviews.pop(participant.id, None)
            self._note_result(participant, evaluated)
        return feedback

    def _save_result(self, participant: Participant, evaluated: Evaluated) -> None:
        """Record, then result, then the draft goes: each step leaves files that ``open`` understands."""
        with self._lock:
            path = free_path(self.folder, safe_stem(evaluated.response.business.name), (".json", ".pdf"))
            participant.result = path.name
            participant.report_lang = participant.lang
            self._write_record(participant)  # still names the draft: if the result is never written, resume it
            write_text_atomic(path, _dump(result_document(evaluated)), private=True)  # as assess: owner-only
        if participant.draft is not None:
            (self.drafts / participant.draft).unlink(missing_ok=True)
            participant.draft = None  # the record's stale name is dropped by open(): the file is gone

    # Results

    def result_path(self, participant: Participant) -> Path | None:
        return None if participant.result is None else self.folder / participant.result

    def report_path(self, participant: Participant) -> Path | None:
        result = self.result_path(participant)
        return None if result is None else result.with_suffix(".pdf")

    def _evaluate_result(self, participant: Participant) -> Evaluated:
        path = self.result_path(participant)
        assert path is not None
        return evaluate(load_response(path), self.questionnaire, str(path))

    def _note_result(self, participant: Participant, evaluated: Evaluated) -> None:
        overall = evaluated.assessment.overall
        participant.name = evaluated.response.business.name
        participant.level = localize(self.questionnaire.level(overall.level).name, participant.lang)
        participant.score = overall.score
        participant.done = participant.total = max(participant.total, participant.done)

    def result_summary(self, participant: Participant, lang: str) -> dict[str, Any]:
        """The public assessment (``cbectool score --format json``) in ``lang``, kept for the polling page."""
        key = (participant.id, lang)
        with self._cache_lock:
            cached = self._results.get(key)
            if cached is not None:
                self._results.move_to_end(key)
                return cached
        summary = assessment_to_public(self.questionnaire, self._evaluate_result(participant).assessment, lang)
        with self._cache_lock:
            self._results[key] = summary
            while len(self._results) > RESULTS_IN_MEMORY:
                self._results.popitem(last=False)
        return summary
