"""What keeps a workshop on a shared network safe: tokens, codes, CSRF, the PIN, limits, headers.

The threat model is in docs/workshop.md. In short: anyone on the venue's Wi-Fi can reach
the laptop, so every participant is known only by an unguessable cookie token (stored
hashed), a short code to continue on another device is limited in tries, every form that
changes something carries a CSRF token, and the trainer's pages need a one-time PIN.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import socket
import time
import unicodedata
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

CODE_DIGITS = 8
PIN_DIGITS = 6
MAX_BODY_BYTES = 16 * 1024
"""A form is a few hundred bytes; the longest answer allowed is 2,000 characters (up to 8 KB in UTF-8)."""

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def new_token() -> str:
    """A participant's or trainer's cookie: 256 random bits."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored instead of a token: reading the session's files gives no one a way in."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_code() -> str:
    """The short code shown on screen to continue on another device: 8 digits, easy on any phone keypad."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def new_pin() -> str:
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


def digits_of(typed: str, limit: int = 40) -> str:
    """The digits of what someone typed: spaces and dashes dropped, Urdu digits (۱۲۳) read as 123."""
    result = []
    for char in typed[:limit]:
        value = unicodedata.digit(char, None)
        if value is not None:
            result.append(str(value))
    return "".join(result)


def show_code(code: str) -> str:
    """``12345678`` as ``1234 5678``: easier to read out and to copy."""
    return f"{code[:4]} {code[4:]}"


def csrf_token(secret: bytes, visitor: str) -> str:
    """The token every form carries: bound to the visitor's cookie by the server's secret."""
    return hmac.new(secret, f"csrf:{visitor}".encode(), hashlib.sha256).hexdigest()[:32]


def csrf_valid(secret: bytes, visitor: str | None, sent: str | None) -> bool:
    if not visitor or not sent:
        return False
    return hmac.compare_digest(csrf_token(secret, visitor), sent)


@dataclass
class AttemptLimiter:
    """At most ``failures`` wrong tries per key (a client's address) in ``window`` seconds."""

    failures: int
    window: float
    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, deque[float]] = field(default_factory=dict)

    def blocked(self, key: str) -> bool:
        recent = self._recent(key)
        return len(recent) >= self.failures

    def fail(self, key: str) -> None:
        self._recent(key).append(self.clock())

    def _recent(self, key: str) -> deque[float]:
        recent = self._seen.setdefault(key, deque())
        cutoff = self.clock() - self.window
        while recent and recent[0] < cutoff:
            recent.popleft()
        if len(self._seen) > 10_000:  # keys are addresses on one network; never let them grow without bound
            self._seen = {key: recent}
        return recent


class TrainerPin:
    """The trainer's PIN: each works once, and ``MAX_FAILURES`` wrong tries in all retire it.

    A new PIN goes to ``announce`` (the laptop's terminal), where only the trainer sees it.
    With 6 digits and 10 tries per PIN, a guesser's chance per PIN is 1 in 100,000.
    """

    MAX_FAILURES = 10

    def __init__(self, announce: Callable[[str, str], None], pin: str | None = None) -> None:
        self._announce = announce
        self.pin = pin or new_pin()
        self._failures = 0

    def check(self, typed: str) -> bool:
        if hmac.compare_digest(digits_of(typed, 20).encode(), self.pin.encode()):
            self._replace("the last PIN was used")
            return True
        self._failures += 1
        if self._failures >= self.MAX_FAILURES:
            self._replace(f"{self.MAX_FAILURES} wrong tries")
        return False

    def _replace(self, reason: str) -> None:
        self.pin = new_pin()
        self._failures = 0
        self._announce(self.pin, reason)


def allowed_host(host_header: str, names: frozenset[str]) -> bool:
    """A request's ``Host`` is an address or one of this computer's names, never another domain.

    Stops DNS rebinding: a web page elsewhere cannot point its own domain at the laptop and read pages.
    """
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host[1 : host.find("]")] if "]" in host else host
    elif host.count(":") == 1:
        host = host.rsplit(":", 1)[0]
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return host.rstrip(".") in names


def machine_names() -> frozenset[str]:
    hostname = socket.gethostname().lower()
    return frozenset({"localhost", hostname, f"{hostname}.local", hostname.split(".")[0]})


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class GuardMiddleware:
    """Security headers on every response, unknown ``Host`` names refused, bodies over the limit refused.

    Plain ASGI (not Starlette's BaseHTTPMiddleware): it costs nothing per request that matters.
    """

    def __init__(self, app: ASGIApp, names: frozenset[str], max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.names = names
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if not allowed_host(headers.get(b"host", b"").decode("latin-1"), self.names):
            await _plain(send, 400, b"Unknown host name. Open the address the trainer gave you.")
            return
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _plain(send, 413, b"Too large.")
            return
        if scope["method"] not in ("GET", "HEAD"):
            body = await _read_body(receive, self.max_body)
            if body is None:
                await _plain(send, 413, b"Too large.")
                return
            receive = _replay(body, receive)

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, secured_send)


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body (forms are small), or None once it passes ``limit`` (also when chunked)."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return bytes(body)
        body += message.get("body", b"")
        if len(body) > limit:
            return None
        if not message.get("more_body", False):
            return bytes(body)


def _replay(body: bytes, then: Receive) -> Receive:
    """The body read ahead, once; after it, what the server says (a disconnect, when it comes)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await then()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _plain(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
