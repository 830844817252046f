"""Workshop mode under load: N participants answering at once on loopback while reports render.

    .venv/bin/python benchmarks/serve_load.py                        # 60 participants (~2 minutes)
    .venv/bin/python benchmarks/serve_load.py --participants 20 60 120 --think 1.0
    .venv/bin/python benchmarks/serve_load.py --think 0              # no pause between answers: saturation

``cbectool serve`` runs as a process of its own, as a trainer starts it (bundled questionnaire,
one report worker). First ``--queued`` owners finish at once, so that their reports keep the
worker busy; then N participants, each from its own loopback address (127.0.0.x, as phones have
their own), answer the whole questionnaire with a pause of ``--think`` seconds on average
between answers (an owner takes about 15 s; the default is ten times faster) and finish.

Printed: latency per answer (the POST until the draft is on disk, and with the next page),
p50 and p95, overall and while reports were being made; answers lost (every acknowledged
answer is looked up in the files after the server has stopped); peak resident memory of the
server and of the server with its worker. docs/workshop.md records the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from processes import Every50ms, descendants, rss

from cbectool import resources
from cbectool.questionnaire import Questionnaire, QuestionType

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
STEP = re.compile(r'name="step" value="([^"]+)"')


@dataclass
class Answer:
    sent: float  # time.monotonic() when the POST went out
    saved: float  # seconds until the server acknowledged (303, the draft on disk)
    shown: float  # seconds until the next page had arrived too
    step: str
    value: object


@dataclass
class Phone:
    """One participant: a keep-alive connection from its own address, its cookies, what was acknowledged."""

    port: int
    address: str
    cookies: dict[str, str] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)
    finished: bool = False
    error: str = ""
    _connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, object] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
                )
            try:
                self._connection.request(method, path, body=body, headers=headers)
                response = self._connection.getresponse()
                text = response.read().decode("utf-8")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._connection.close()
                self._connection = None  # the server closed an idle keep-alive connection: once more
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text


def choose(questionnaire: Questionnaire, step: str, number: int, rng: random.Random) -> object:
    """A plausible answer to ``step`` (what a form would send)."""
    if step == "business.name":
        return f"Bench Traders {number}"
    if step.startswith("business."):
        return rng.choice(["", "Sialkot", "Lahore", "Karachi"])
    question = questionnaire.question(step)
    assert question is not None, step
    if question.type == QuestionType.MULTI:
        plain = [choice.value for choice in question.choices if not choice.exclusive]
        return rng.sample(plain, k=min(len(plain), rng.randint(1, 2)))
    if question.type in (QuestionType.SINGLE, QuestionType.YES_NO):
        return rng.choice(question.choices).value
    if question.type == QuestionType.NUMBER:
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else low + 100
        return str(int(rng.uniform(low, min(high, low + 100))))
    return "Ayesha"


def participate(phone: Phone, number: int, questionnaire: Questionnaire, think: float, seed: int) -> None:
    rng = random.Random(seed)
    try:
        _, page = phone.request("GET", "/")
        csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
        status, _ = phone.request("POST", "/start", {"csrf": csrf})
        if status != 303:
            raise RuntimeError(f"start refused ({status})")
        _, page = phone.request("GET", "/check")
        while True:
            step = STEP.search(page)
            if step is None:
                status, _ = phone.request("POST", "/check/finish", {"csrf": csrf})
                phone.finished = status == 303
                phone.request("GET", "/result")
                return
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
            value = choose(questionnaire, step.group(1), number, rng)
            sent = time.monotonic()
            status, _ = phone.request(
                "POST", "/check", {"csrf": csrf, "step": step.group(1), "action": "next", "answer": value}
            )
            saved = time.monotonic() - sent
            if status != 303:
                raise RuntimeError(f"answer refused ({status}) at {step.group(1)}")
            _, page = phone.request("GET", "/check")
            phone.answers.append(Answer(sent, saved, time.monotonic() - sent, step.group(1), value))
    except Exception as error:  # one phone's failure is a figure, not a crash of the benchmark
        phone.error = f"{type(error).__name__}: {error}"


class Sampler(Every50ms):
    """Peak resident memory of the server and of the server with its workers, every 50 ms; and, from the
    cohort folder, when reports were waiting to be made."""

    def __init__(self, pid: int, cohort: Path) -> None:
        super().__init__()
        self.pid = pid
        self.cohort = cohort
        self.server_peak = 0
        self.tree_peak = 0
        self.rendering: list[tuple[float, bool]] = []
        self._tick = 0

    def sample(self) -> None:
        server = rss(self.pid)
        self.server_peak = max(self.server_peak, server)
        self.tree_peak = max(self.tree_peak, server + sum(rss(child) for child in descendants(self.pid)))
        if self._tick % 4 == 0:
            results = sum(1 for path in self.cohort.glob("*.json"))
            reports = sum(1 for path in self.cohort.glob("*.pdf"))
            self.rendering.append((time.monotonic(), results > reports))
        self._tick += 1

    def rendering_at(self, moment: float) -> bool:
        before = [busy for when, busy in self.rendering if when <= moment]
        return bool(before and before[-1])


def start_server(cohort: Path) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cbectool", "serve", "--cohort", str(cohort), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, NO_COLOR="1", COLUMNS="120"),
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        found = re.search(r"Participants, open:\s+http://127\.0\.0\.1:(\d+)/", line)
        if found:
            port = int(found.group(1))
            threading.Thread(target=process.stdout.read, daemon=True).start()  # keep the pipe drained
            return process, port
    raise RuntimeError("cbectool serve did not start:\n" + "".join(lines))


def lost_answers(cohort: Path, phones: list[Phone]) -> tuple[int, int]:
    """Acknowledged answers (the last one per question) that are not in the files: (lost, checked)."""
    lost = checked = 0
    documents = {}
    for path in cohort.glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        documents[document["business"]["name"]] = document
    for path in (cohort / "drafts").glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))["response"]
        documents[document["business"].get("name", "")] = document
    for phone in phones:
        last = {answer.step: answer.value for answer in phone.answers}
        document = documents.get(str(last.get("business.name")), {"business": {}, "answers": {}})
        for step, value in last.items():
            checked += 1
            if step.startswith("business."):
                saved = document["business"].get(step.removeprefix("business."), "")
                lost += saved != value
            else:
                saved = document["answers"].get(step)
                if isinstance(value, list):  # saved in the questionnaire's order
                    lost += sorted(saved or []) != sorted(value)
                else:
                    lost += saved != (int(value) if isinstance(value, str) and value.isdigit() else value)
    return lost, checked


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def run(participants: int, think: float, queued: int, questionnaire: Questionnaire) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="serve-load-") as temporary:
        cohort = Path(temporary) / "cohort"
        process, port = start_server(cohort)
        try:
            with Sampler(process.pid, cohort) as sampler:
                first = [Phone(port, f"127.0.1.{n + 1}") for n in range(queued)]
                warmers = [
                    threading.Thread(target=participate, args=(phone, 1000 + n, questionnaire, 0, n))
                    for n, phone in enumerate(first)
                ]
                for thread in warmers:
                    thread.start()
                for thread in warmers:
                    thread.join()
                phones = [Phone(port, f"127.0.{2 + n // 250}.{n % 250 + 1}") for n in range(participants)]
                threads = [
                    threading.Thread(target=participate, args=(phone, n, questionnaire, think, 7 + n))
                    for n, phone in enumerate(phones)
                ]
                started = time.monotonic()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed = time.monotonic() - started
                reports_waiting = sum(1 for _ in cohort.glob("*.json")) - sum(1 for _ in cohort.glob("*.pdf"))
        finally:
            process.send_signal(signal.SIGINT)
            stopped = time.monotonic()
            process.wait(timeout=120)
            stop_seconds = time.monotonic() - stopped
        answers = [answer for phone in phones for answer in phone.answers]
        during = [answer for answer in answers if sampler.rendering_at(answer.sent)]
        lost, checked = lost_answers(cohort, [*first, *phones])
        return {
            "participants": participants,
            "answers": len(answers),
            "finished": sum(phone.finished for phone in phones),
            "errors": [phone.error for phone in [*first, *phones] if phone.error],
            "elapsed": elapsed,
            "saved": [answer.saved for answer in answers],
            "shown": [answer.shown for answer in answers],
            "saved_during": [answer.saved for answer in during],
            "shown_during": [answer.shown for answer in during],
            "lost": lost,
            "checked": checked,
            "server_peak": sampler.server_peak,
            "tree_peak": sampler.tree_peak,
            "reports_waiting_at_end": reports_waiting,
            "stop_seconds": stop_seconds,
        }


def milliseconds(values: list[float]) -> str:
    if not values:
        return "n/a"
    return (
        f"p50 {1000 * statistics.median(values):.0f} ms, p95 {1000 * percentile(values, 0.95):.0f} ms, "
        f"max {1000 * max(values):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, nargs="+", default=[60])
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between answers, seconds")
    parser.add_argument("--queued", type=int, default=30, help="owners who finish first, to keep reports rendering")
    arguments = parser.parse_args()
    questionnaire = resources.load(None)
    steps = len(questionnaire.questions()) + 5
    print(
        f"serve_load: {questionnaire.id} (up to {steps} steps each), think {arguments.think:g} s on average, "
        f"{arguments.queued} reports queued first, {os.cpu_count()} cores"
    )
    for participants in arguments.participants:
        result = run(participants, arguments.think, arguments.queued, questionnaire)
        print(
            f"\n{participants} participants: {result['answers']} answers in {result['elapsed']:.0f} s, "
            f"{result['finished']} finished"
        )
        print(f"  answer saved (POST until on disk):     {milliseconds(result['saved'])}")  # type: ignore[arg-type]
        print(f"  answer saved + next page:              {milliseconds(result['shown'])}")  # type: ignore[arg-type]
        during = result["saved_during"]
        print(f"  while reports rendered ({len(during)} answers):")  # type: ignore[arg-type]
        print(f"    saved:                               {milliseconds(during)}")  # type: ignore[arg-type]
        print(f"    saved + next page:                   {milliseconds(result['shown_during'])}")  # type: ignore[arg-type]
        print(f"  answers lost: {result['lost']} of {result['checked']} acknowledged (last per question)")
        print(
            f"  peak memory: server {result['server_peak'] / 2**20:.0f} MB, "  # type: ignore[operator]
            f"server + report worker {result['tree_peak'] / 2**20:.0f} MB"  # type: ignore[operator]
        )
        print(
            f"  reports still to make at the end: {result['reports_waiting_at_end']}; "
            f"Ctrl-C stopped the server in {result['stop_seconds']:.1f} s"
        )
        if result["errors"]:
            print(f"  errors: {len(result['errors'])}, first: {result['errors'][0]}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
