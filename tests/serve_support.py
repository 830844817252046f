"""Helpers for the tests of ``cbectool serve``: a real server on loopback and a small cookie-keeping client.

The server is the one ``cbectool serve`` runs (uvicorn on a bound socket, the same
application and guard), in a thread of the test process so that tests can look at
its state. The client is ``http.client`` with a cookie jar: every request goes over
a real socket, like a phone's.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import uvicorn

from cbectool.web.app import Settings, Workshop, create_app, open_workshop
from cbectool.web.reports import ReportOrder, ReportQueue
from cbectool.web.server import bind

STARTER = Path(__file__).parent / "data" / "questionnaires" / "starter.yaml"

PROFILE: list[str | list[str]] = ["Ali Sports Works", "Sialkot", "Sports goods", "Footballs", "0300-1234567"]
# The starter questionnaire by value (the answers of the ``starter_answers`` fixture).
ANSWERS: list[str | list[str]] = [
    ["fcy_account"],
    "yes",
    "no",
    "courier",
    "yes",
    "no",
    "3",
    ["alibaba"],
    "6",
    "some",
    "Ayesha",
]


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    path: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def field(self, name: str) -> str:
        """The value of a form field named ``name`` on this page (the first one)."""
        found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', self.text)
        assert found, f"no field {name!r} on {self.path}"
        return found.group(1)


@dataclass
class Client:
    """One phone: its own cookies, a real connection per request."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    last: Reply | None = None

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, Any] | Sequence[tuple[str, str]] | None = None,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        follow: bool = True,
    ) -> Reply:
        parts = urllib.parse.urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        sent = dict(headers or {})
        if self.cookies:
            sent.setdefault("Cookie", "; ".join(f"{key}={value}" for key, value in self.cookies.items()))
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            reply = Reply(response.status, response.headers, response.read(), path)
        finally:
            connection.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            self._remember(header)
        if follow and reply.status in (302, 303) and reply.header("Location"):
            location = urllib.parse.urlsplit(reply.header("Location"))
            target = location.path + (f"?{location.query}" if location.query else "")
            return self.request("GET", target)
        self.last = reply
        return reply

    def _remember(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] in ("0",) or (morsel["expires"] and "1970" in morsel["expires"]):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict[str, Any] | Sequence[tuple[str, str]], **kwargs: Any) -> Reply:
        return self.request("POST", path, form, **kwargs)

    def csrf(self) -> str:
        page = self.last if self.last is not None and 'name="csrf"' in self.last.text else self.get("/")
        return page.field("csrf")

    def start(self) -> Reply:
        self.get("/")
        return self.post("/start", {"csrf": self.csrf()})

    def answer(self, value: str | list[str], *, action: str = "next") -> Reply:
        page = self.last if self.last is not None and 'name="step"' in self.last.text else self.get("/check")
        return self.post(
            "/check", {"csrf": page.field("csrf"), "step": page.field("step"), "action": action, "answer": value}
        )

    def answer_all(self, values: Sequence[str | list[str]]) -> Reply:
        reply = self.last or self.get("/check")
        for value in values:
            reply = self.answer(value)
            assert reply.status == 200, (value, reply.status, reply.text[:500])
        return reply

    def finish(self) -> Reply:
        return self.post("/check/finish", {"csrf": self.csrf()})

    def trainer_login(self, pin: str) -> Reply:
        page = self.get("/trainer")
        return self.post("/trainer/login", {"csrf": page.field("csrf"), "pin": pin})


class StandInReports(ReportQueue):
    """Reports written at once as a few stand-in bytes, in this process: for the tests that are not
    about rendering (no worker process, no WeasyPrint), so they stay in the quick inner loop."""

    def __init__(self) -> None:
        super().__init__(1)
        self.orders: dict[str, ReportOrder] = {}

    def submit(self, key: str, order: ReportOrder) -> None:
        self.orders[key] = order
        Path(order.pdf).write_bytes(b"%PDF-1.7 stand-in for " + Path(order.result).stem.encode())

    def warm_up(self) -> None:
        pass

    def shutdown(self) -> None:
        pass


@dataclass
class Running:
    url: str
    workshop: Workshop
    said: list[str]

    def client(self) -> Client:
        return Client(self.url)


@contextmanager
def running(
    cohort: Path, *, questionnaire: str | None = str(STARTER), real_reports: bool = False, **settings: Any
) -> Iterator[Running]:
    """``cbectool serve`` on 127.0.0.1 and a free port, in a thread, until the block ends.

    Reports are stand-ins unless ``real_reports`` (a worker process and WeasyPrint: mark the test slow)."""
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    said: list[str] = []
    workshop = open_workshop(
        Settings(
            cohort=cohort,
            questionnaire=questionnaire,
            participants_url=f"http://127.0.0.1:{port}/",
            say=said.append,
            **settings,
        ),
        reports=None if real_reports else StandInReports(),
    )
    config = uvicorn.Config(create_app(workshop, warm_up=False), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        assert thread.is_alive(), "the server stopped while starting"
        time.sleep(0.02)
    try:
        yield Running(f"http://127.0.0.1:{port}", workshop, said)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def wait_for(condition: Any, timeout: float = 60, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message or "timed out"
        time.sleep(0.1)
