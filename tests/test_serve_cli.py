"""``cbectool serve`` as a trainer runs it: what it prints, Ctrl-C, a port in use, and a crash (SIGKILL)."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
import zxingcpp
from PIL import Image
from serve_support import ANSWERS, PROFILE, STARTER, Client, wait_for

from cbectool.web.server import qr_code


@dataclass
class Served:
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    @property
    def url(self) -> str:
        found = re.search(r"Participants, open:\s+(http://\S+)", self.output)
        assert found, self.output
        return found.group(1).rstrip("/")

    @property
    def local_url(self) -> str:
        found = re.search(r"Trainer's page:\s+(http://\S+)/trainer", self.output)
        assert found, self.output
        return found.group(1)

    def stop(self, sig: int = signal.SIGINT) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout=60)


def serve_command(cohort: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "cbectool", "serve", "--cohort", str(cohort), "-q", str(STARTER), *args]


@contextmanager
def serving(cohort: Path, *args: str) -> Iterator[Served]:
    process = subprocess.Popen(
        serve_command(cohort, "--port", "0", *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )
    served = Served(process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            served.lines.append(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        wait_for(lambda: "Press Ctrl-C" in served.output or process.poll() is not None, 60, "serve did not start")
        assert process.poll() is None, served.output
        yield served
    finally:
        children = _children(process.pid)
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        for child in children:  # report workers end with their server; never leave one behind a failed test
            try:
                child.wait(timeout=10)
            except psutil.TimeoutExpired:
                child.kill()
        reader.join(timeout=10)
        assert process.stdout is not None
        process.stdout.close()


def _children(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


@pytest.mark.slow  # cbectool serve in a process of its own
def test_by_default_it_listens_on_this_computer_only_and_prints_address_qr_code_and_pin(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    with serving(cohort) as served:
        output = served.output
        assert "Listening on this computer only (127.0.0.1" in output
        assert "start with --host 0.0.0.0 to let them join" in output
        assert served.url.startswith("http://127.0.0.1:")
        assert re.search(r"PIN: \d{6}", output)
        assert f"Answers are saved in: {cohort}" in output
        assert sum(1 for line in served.lines if set(line.strip()) <= set("█▀▄ ") and len(line.strip()) > 20) > 10
        connections = psutil.Process(served.process.pid).net_connections(kind="tcp")
        listening = [item.laddr for item in connections if item.status == psutil.CONN_LISTEN]
        assert [address.ip for address in listening] == ["127.0.0.1"]
        assert Client(served.url).get("/").status == 200
        assert served.stop() == 0
    assert "Stopped. Everything answered is saved in:" in served.output


@pytest.mark.slow  # cbectool serve in a process of its own
def test_with_host_0_0_0_0_it_says_clearly_that_it_listens_on_the_local_network(tmp_path: Path) -> None:
    with serving(tmp_path / "cohort", "--host", "0.0.0.0") as served:
        assert "Listening on the local network" in served.output
        assert "anyone on this Wi-Fi or hotspot can open the participants' pages" in served.output
        assert "Trainer's page:  http://127.0.0.1:" in served.output
        assert Client(served.local_url).get("/").status == 200
        assert served.stop() == 0


@pytest.mark.slow  # cbectool serve in a process of its own
def test_a_port_in_use_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            serve_command(tmp_path / "cohort", "--port", str(port)), capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"Error: port {port} is already in use (another cbectool serve?); choose another with --port"
    )


@pytest.mark.slow  # cbectool serve in a process of its own
def test_an_unknown_questionnaire_is_a_one_line_error(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "cbectool", "serve", "--port", "0", "-q", "no-such-questionnaire"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("Error: no questionnaire 'no-such-questionnaire'")
    assert "Traceback" not in done.stderr


@pytest.mark.slow  # cbectool serve in a process of its own
def test_ctrl_c_stops_cleanly_and_the_same_phone_goes_on_after_a_restart(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    with serving(cohort) as served:
        phone = Client(served.url)
        phone.start()
        phone.answer_all([*PROFILE, *ANSWERS[:3]])
        owner = Client(served.url)
        owner.start()
        owner.answer_all(["Bilal Leather", "", "", "", "", *ANSWERS])
        owner.finish()
        children = _children(served.process.pid)
        assert served.stop() == 0
        assert "Stopped." in served.output
        for child in children:
            child.wait(timeout=30)  # no report worker outlives the server
    assert json.loads((cohort / "drafts" / "Ali-Sports-Works.json").read_text())["position"]["step"] == "log_channel"
    with serving(cohort) as again:
        phone.base = again.url
        page = phone.get("/check")
        assert 'name="step" value="log_channel"' in page.text
        owner.base = again.url
        wait_for(lambda: "Download your report" in owner.get("/result").text, 120, "no report after the restart")
        assert (cohort / "Bilal-Leather.pdf").is_file()
        assert again.stop() == 0


@pytest.mark.slow  # cbectool serve in a process of its own
def test_after_sigkill_every_acknowledged_answer_is_there(tmp_path: Path) -> None:
    """Participants answer at once; the server is killed mid-stream; every answer it acknowledged survives."""
    cohort = tmp_path / "cohort"
    participants = 8
    acknowledged: dict[int, list[tuple[str, object]]] = {number: [] for number in range(participants)}
    in_flight: dict[int, tuple[str, object]] = {}  # sent when the server died: saved or not, never acknowledged
    phones: dict[int, Client] = {}
    stop = threading.Event()
    killed = threading.Event()
    failures: list[BaseException] = []  # anything a phone met before the server was killed

    def answer(number: int, url: str) -> None:
        phone = phones[number] = Client(url)
        try:
            phone.start()
            page = phone.get("/check")
            values: list[str | list[str]] = [f"Crash Test {number}", "Sialkot", "", "", "", *ANSWERS]
            for round_number in range(1000):
                if stop.is_set():
                    return
                step, value = page.field("step"), values[round_number % len(values)]
                if step.startswith("business.") and step != "business.name":
                    value = f"{step} {round_number}"
                form = {"csrf": page.field("csrf"), "step": step, "action": "next", "answer": value}
                in_flight[number] = (step, value)
                reply = phone.request("POST", "/check", form, follow=False)
                if reply.status == 303:
                    acknowledged[number].append((step, value))
                del in_flight[number]
                page = phone.get("/check")
                if 'name="step"' not in page.text:  # the review: change the first answer, go round again
                    page = phone.post("/check/change", {"csrf": page.field("csrf"), "key": "business.city"})
        except Exception as error:  # once the server is killed, any way a request breaks ends this phone
            if not killed.is_set():
                failures.append(error)

    with serving(cohort) as served:
        workers = [threading.Thread(target=answer, args=(n, served.url)) for n in range(participants)]
        for worker in workers:
            worker.start()
        wait_for(lambda: sum(len(items) for items in acknowledged.values()) >= 150, 120, "too few answers")
        workers_of_the_server = _children(served.process.pid)
        killed.set()
        served.process.send_signal(signal.SIGKILL)
        served.process.wait(timeout=30)
        assert workers_of_the_server, "the report worker starts with the server"
        _, alive = psutil.wait_procs(workers_of_the_server, timeout=15)
        assert alive == [], "a report worker outlived its killed server"
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
    total = sum(len(items) for items in acknowledged.values())
    assert total >= 150
    assert failures == []

    with serving(cohort) as again:
        for number, answers in acknowledged.items():
            draft = json.loads((cohort / "drafts" / f"Crash-Test-{number}.json").read_text(encoding="utf-8"))
            saved = draft["response"]
            last: dict[str, object] = {}
            for step, value in answers:
                last[step] = value
            for step, value in last.items():
                possible = [value]
                if number in in_flight and in_flight[number][0] == step:
                    possible.append(in_flight[number][1])
                if step.startswith("business."):
                    assert saved["business"][step.removeprefix("business.")] in possible, (number, step)
                else:
                    assert saved["answers"][step] in [_as_saved(item) for item in possible], (number, step)
            phone = phones[number]
            phone.base = again.url
            assert phone.get("/check").status == 200  # the same phone goes on with its cookie
        assert again.stop() == 0
    assert not list(cohort.rglob(".*.tmp")), "a half-written file was left"


def _as_saved(value: object) -> object:
    """A form's value as a response file holds it: numbers as numbers."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def terminal_picture(drawn: str, *, foreground: int = 255, background: int = 0, scale: int = 6) -> Image.Image:
    """What a terminal shows: each character cell is two modules high; block parts in the text colour."""
    halves = {"█": (1, 1), " ": (0, 0), "▀": (1, 0), "▄": (0, 1)}
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in drawn.splitlines()]
    picture = Image.new("L", ((len(lines[0]) + 8) * scale, (2 * len(lines) + 8) * scale), background)
    for row, line in enumerate(lines):
        for column, char in enumerate(line):
            for half, lit in enumerate(halves[char]):
                box = (column + 4) * scale, (2 * row + half + 4) * scale
                picture.paste(foreground if lit else background, (*box, box[0] + scale, box[1] + scale))
    return picture


def test_the_qr_code_reads_back_as_the_participants_address() -> None:
    address = "http://192.168.1.20:8000/"
    plain = qr_code(address)
    dark_terminal = terminal_picture(plain)  # light text on a dark background: most terminals
    assert [code.text for code in zxingcpp.read_barcodes(dark_terminal, try_invert=False)] == [address]
    light_terminal = terminal_picture(plain, foreground=0, background=255)
    assert zxingcpp.read_barcodes(light_terminal, try_invert=False) == []  # why it is drawn in colours there
    coloured = qr_code(address, colours=True)
    assert all(line.startswith("\x1b[97;40m") and line.endswith("\x1b[0m") for line in coloured.splitlines())
    assert [code.text for code in zxingcpp.read_barcodes(terminal_picture(coloured), try_invert=False)] == [address]
