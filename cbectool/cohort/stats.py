"""Running cohort statistics for the trainer's summary, in flat memory and mergeable across shards.

Counts and sums grow with the number of levels, dimensions and actions, never
with the number of businesses; the ranked shortlists keep only the best
``SHORTLIST`` entries. Saved as ``cohort-stats.json`` so that ``batch-merge``
can combine shards without re-reading any sheet.
"""

from __future__ import annotations

import heapq
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cbectool.errors import CbecError
from cbectool.files import write_text_atomic
from cbectool.questionnaire import Questionnaire
from cbectool.scoring import Assessment
from cbectool.text import localize

STATS_JSON = "cohort-stats.json"
SHORTLIST = 200
FORMAT = 2
"""2: shortlist entries say whether a legal barrier holds the business back."""


@dataclass
class DimensionStats:
    """Count, sum and sum of squares of one dimension's scores, in tenths of a point.

    Scores have one decimal, so in tenths they are whole numbers and the sums
    are exact: the same cohort gives the same figures however it was split
    between worker processes or shards.
    """

    count: int = 0
    tenths: int = 0
    squared_tenths: int = 0
    low: float = math.inf
    high: float = -math.inf

    def add(self, score: float) -> None:
        tenths = round(score * 10)
        self.count += 1
        self.tenths += tenths
        self.squared_tenths += tenths * tenths
        self.low = min(self.low, score)
        self.high = max(self.high, score)

    def merge(self, other: DimensionStats) -> None:
        self.count += other.count
        self.tenths += other.tenths
        self.squared_tenths += other.squared_tenths
        self.low = min(self.low, other.low)
        self.high = max(self.high, other.high)

    @property
    def total(self) -> float:
        return self.tenths / 10

    @property
    def squares(self) -> float:
        return self.squared_tenths / 100

    @property
    def mean(self) -> float | None:
        return self.tenths / self.count / 10 if self.count else None

    @property
    def spread(self) -> float | None:
        """Population standard deviation of the dimension's scores."""
        if not self.count:
            return None
        mean = self.tenths / self.count
        return math.sqrt(max(0.0, self.squared_tenths / self.count - mean * mean)) / 10


Entry = tuple[int, float, int, int, str, str, str, str, str]
"""(clear, score, -row, row, business name, city, level id, first action id, legal barriers): heap-ordered.

``clear`` is 1 when no gate marked ``legal_barrier`` fired: a business that cannot yet lawfully be paid or
registered ranks behind every business that can, whatever its score; then best score first, then row order.
"""


@dataclass
class CohortStats:
    """What the cohort summary shows, accumulated one business at a time."""

    questionnaire_id: str
    questionnaire_version: str
    ready_level: str
    businesses: int = 0
    rejected: int = 0
    levels: Counter[str] = field(default_factory=Counter)
    dimensions: dict[str, DimensionStats] = field(default_factory=dict)
    actions: Counter[str] = field(default_factory=Counter)
    first_actions: Counter[str] = field(default_factory=Counter)
    gates: Counter[str] = field(default_factory=Counter)
    ready: list[Entry] = field(default_factory=list)
    not_ready: list[Entry] = field(default_factory=list)
    ready_count: int = 0
    legal_barriers: frozenset[str] = frozenset()  # ids of the gates marked ``legal_barrier``

    @classmethod
    def for_questionnaire(cls, questionnaire: Questionnaire) -> CohortStats:
        stats = cls(questionnaire.id, questionnaire.version, questionnaire.levels[-1].id)
        stats.dimensions = {dimension.id: DimensionStats() for dimension in questionnaire.dimensions}
        stats.legal_barriers = frozenset(gate.id for gate in questionnaire.gates if gate.legal_barrier)
        return stats

    def add(self, row: int, name: str, city: str, result: Assessment) -> None:
        self.businesses += 1
        overall = result.overall
        self.levels[overall.level] += 1
        for dimension in result.dimensions:
            if dimension.score is not None:
                self.dimensions[dimension.id].add(dimension.score)
        self.actions.update(action.id for action in result.actions)
        if result.gates:
            self.gates.update(result.gates)
        first = result.actions[0].id if result.actions else ""
        barriers = "; ".join(gate for gate in result.gates if gate in self.legal_barriers)
        entry: Entry = (0 if barriers else 1, overall.score, -row, row, name, city, overall.level, first, barriers)
        if overall.level == self.ready_level:
            self.ready_count += 1
            _push(self.ready, entry)
        else:
            if first:
                self.first_actions[first] += 1
            _push(self.not_ready, entry)

    def merge(self, other: CohortStats) -> None:
        if (other.questionnaire_id, other.questionnaire_version) != (self.questionnaire_id, self.questionnaire_version):
            raise CbecError(
                f"cannot merge results of {other.questionnaire_id} {other.questionnaire_version} "
                f"with {self.questionnaire_id} {self.questionnaire_version}"
            )
        self.businesses += other.businesses
        self.rejected += other.rejected
        self.levels.update(other.levels)
        for dimension_id, dimension in other.dimensions.items():
            self.dimensions.setdefault(dimension_id, DimensionStats()).merge(dimension)
        self.actions.update(other.actions)
        self.first_actions.update(other.first_actions)
        self.gates.update(other.gates)
        self.ready_count += other.ready_count
        for entry in other.ready:
            _push(self.ready, entry)
        for entry in other.not_ready:
            _push(self.not_ready, entry)

    def ranked(self, entries: list[Entry]) -> list[Entry]:
        """Best score first; equal scores in row order."""
        return sorted(entries, reverse=True)

    def to_json(self) -> dict[str, Any]:
        """Counts by key and shortlists best first: the same cohort gives the same file, however it was split."""
        return {
            "format": FORMAT,
            "questionnaire": {"id": self.questionnaire_id, "version": self.questionnaire_version},
            "ready_level": self.ready_level,
            "legal_barriers": sorted(self.legal_barriers),
            "businesses": self.businesses,
            "rejected": self.rejected,
            "ready_count": self.ready_count,
            "levels": dict(sorted(self.levels.items())),
            "dimensions": {
                key: {
                    "count": value.count,
                    "total": value.total,
                    "squares": value.squares,
                    "low": value.low if value.count else None,
                    "high": value.high if value.count else None,
                }
                for key, value in self.dimensions.items()
            },
            "actions": dict(sorted(self.actions.items())),
            "first_actions": dict(sorted(self.first_actions.items())),
            "gates": dict(sorted(self.gates.items())),
            "ready": [list(entry) for entry in self.ranked(self.ready)],
            "not_ready": [list(entry) for entry in self.ranked(self.not_ready)],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CohortStats:
        stats = cls(data["questionnaire"]["id"], data["questionnaire"]["version"], data["ready_level"])
        stats.legal_barriers = frozenset(data["legal_barriers"])
        stats.businesses = data["businesses"]
        stats.rejected = data["rejected"]
        stats.ready_count = data["ready_count"]
        stats.levels = Counter(data["levels"])
        stats.dimensions = {
            key: DimensionStats(
                value["count"],
                round(value["total"] * 10),
                round(value["squares"] * 100),
                math.inf if value["low"] is None else value["low"],
                -math.inf if value["high"] is None else value["high"],
            )
            for key, value in data["dimensions"].items()
        }
        stats.actions = Counter(data["actions"])
        stats.first_actions = Counter(data["first_actions"])
        stats.gates = Counter(data["gates"])
        stats.ready = [_entry(item) for item in data["ready"]]
        stats.not_ready = [_entry(item) for item in data["not_ready"]]
        return stats

    def save(self, path: Path) -> None:
        write_text_atomic(path, json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> CohortStats:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')}, this cbectool reads format {FORMAT}: rerun batch")
            return cls.from_json(data)
        except FileNotFoundError:
            raise CbecError(f"{path}: no such file; is this a batch output folder?") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise CbecError(f"{path}: not a cbectool cohort-stats file ({exc})") from None


def _entry(item: list[Any]) -> Entry:
    clear, score, negative_row, row, name, city, level, first, barriers = item
    return (
        int(clear),
        float(score),
        int(negative_row),
        int(row),
        str(name),
        str(city),
        str(level),
        str(first),
        str(barriers),
    )


def _push(heap: list[Entry], entry: Entry) -> None:
    """Keep the SHORTLIST best entries (a min-heap: the worst kept entry is at the top)."""
    if len(heap) < SHORTLIST:
        heapq.heappush(heap, entry)
    elif entry > heap[0]:
        heapq.heapreplace(heap, entry)


def level_names(questionnaire: Questionnaire, lang: str) -> dict[str, str]:
    return {level.id: localize(level.name, lang) for level in questionnaire.levels}
