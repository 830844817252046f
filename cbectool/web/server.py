"""``cbectool serve`` from start to stop: the socket, the addresses and QR code, the PIN, uvicorn.

The socket is bound here, before anything is printed, so a port in use or an address
that is not this computer's is a one-line error (exit code 2). uvicorn runs the
application on it; Ctrl-C lets the requests in progress finish, stops the report
workers (a report not yet made is made at the next start) and returns.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path

from rich.console import Console
from rich.text import Text

from cbectool.errors import CbecError, ExitCode
from cbectool.interview.draft import home
from cbectool.render.console import print_warnings
from cbectool.web.app import Settings, create_app, open_workshop
from cbectool.web.security import MAX_BODY_BYTES

DEFAULT_PORT = 8000
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class ServeOptions:
    cohort: Path | None = None
    host: str = LOOPBACK
    port: int = DEFAULT_PORT
    questionnaire: str | None = None
    report_workers: int = 1


def default_cohort(today: date | None = None) -> Path:
    """``~/cbectool/workshops/YYYY-MM-DD`` (``$CBECTOOL_HOME`` replaces ``~/cbectool``)."""
    return home() / "workshops" / (today or date.today()).isoformat()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or a ``CbecError`` that says what to do instead."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        raise CbecError(f"--host {host}: no such address or name") from None
    sock = socket.socket(family, kind, protocol)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise CbecError(
                f"port {port} is already in use (another cbectool serve?); choose another with --port"
            ) from None
        if error.errno == errno.EADDRNOTAVAIL:
            raise CbecError(f"--host {host}: not an address of this computer; try --host 0.0.0.0") from None
        if error.errno == errno.EACCES:
            raise CbecError(
                f"port {port} needs administrator rights; use a port from 1024 up, e.g. --port 8000"
            ) from None
        raise CbecError(f"cannot listen on {host}:{port} ({error.strerror})") from None
    return sock


def is_everywhere(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def network_addresses() -> list[str]:
    """This computer's IPv4 addresses that phones on the same network can reach, the likeliest first."""
    import psutil

    found = []
    for addresses in psutil.net_if_addrs().values():
        for item in addresses:
            if item.family != socket.AF_INET:
                continue
            address = ipaddress.ip_address(item.address)
            if not (address.is_loopback or address.is_link_local or address.is_unspecified):
                found.append(item.address)
    return sorted(dict.fromkeys(found), key=_likeliest)


def _likeliest(address: str) -> tuple[int, str]:
    """Hotspots and home routers use 192.168.x.x, venues 10.x.x.x; 172.17.x.x is usually Docker's."""
    for rank, prefix in enumerate(("192.168.", "10.", "172.")):
        if address.startswith(prefix):
            return rank, address
    return 3, address


def url(host: str, port: int, path: str = "/") -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{path}"


def participant_addresses(host: str, port: int) -> list[str]:
    if is_everywhere(host):
        return [url(address, port) for address in network_addresses()]
    return [url(host, port)]


WHITE_ON_BLACK = "\x1b[97;40m"
RESET = "\x1b[0m"


def qr_code(text: str, *, colours: bool = False) -> str:
    """``text`` as a QR code drawn with block characters, for a phone's camera to read off the screen.

    The blocks are the light modules, right on a dark terminal; with ``colours`` the lines are
    drawn white on black, so a terminal with a light background shows the code the right way too.
    """
    import segno

    drawn = StringIO()
    segno.make(text, error="m", micro=False).terminal(out=drawn, compact=True, border=2)
    if not colours:
        return drawn.getvalue()
    return "".join(f"{WHITE_ON_BLACK}{line}{RESET}\n" for line in drawn.getvalue().splitlines())


def print_banner(
    console: Console, options: ServeOptions, folder: Path, port: int, addresses: Iterable[str], pin: str
) -> None:
    host = options.host
    addresses = list(addresses)
    console.print(Text("cbectool serve: workshop session", "bold"))
    console.print(f"Answers are saved in: {folder}", markup=False, soft_wrap=True)
    if is_loopback(host):
        console.print(
            f"Listening on this computer only ({host}, port {port}). Phones cannot join: "
            "start with --host 0.0.0.0 to let them join over the Wi-Fi.",
            markup=False,
        )
    else:
        console.print(
            Text(
                f"Listening on the local network ({host or 'all addresses'}, port {port}): "
                "anyone on this Wi-Fi or hotspot can open the participants' pages.",
                "bold",
            )
        )
    console.print()
    if addresses:
        console.print(Text(f"Participants, open:  {addresses[0]}", "bold"))
        for other in addresses[1:]:
            console.print(f"  (or: {other})", markup=False)
        console.file.write(qr_code(addresses[0], colours=console.is_terminal and not console.no_color))
        console.file.flush()
    else:
        console.print(
            "No network found: join the venue's Wi-Fi or start the laptop's hotspot, then start again.",
            markup=False,
        )
    trainer = url(LOOPBACK if is_everywhere(host) else host, port, "/trainer")
    console.print(Text(f"Trainer's page:  {trainer}    PIN: {pin}", "bold"))
    console.print("The PIN works once; after each use a new one is shown here.", markup=False)
    console.print("Press Ctrl-C to stop. Nothing is lost: start again with the same --cohort to go on.", markup=False)


def run(options: ServeOptions, console: Console) -> ExitCode:
    """Serve until Ctrl-C (or SIGTERM); every answer already acknowledged is on disk."""
    import uvicorn

    folder = (options.cohort or default_cohort()).expanduser()
    sock = bind(options.host, options.port)
    try:
        port = sock.getsockname()[1]
        addresses = participant_addresses(options.host, port)
        settings = Settings(
            cohort=folder,
            questionnaire=options.questionnaire,
            participants_url=addresses[0] if addresses else "",
            report_workers=options.report_workers,
            say=lambda line: console.print(line, markup=False, soft_wrap=True),
        )
        workshop = open_workshop(settings)
        print_warnings(workshop.warnings, console)
        print_banner(console, options, folder, port, addresses, workshop.pin.pin)
        config = uvicorn.Config(
            create_app(workshop),
            log_level="warning",
            access_log=False,
            proxy_headers=False,  # nothing stands in front: a client's own address is what limits count
            server_header=False,
            date_header=False,
            lifespan="on",
            timeout_graceful_shutdown=5,
            h11_max_incomplete_event_size=MAX_BODY_BYTES,
        )
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is the way to stop: uvicorn has stopped cleanly
            uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
    console.print()
    console.print(f"Stopped. Everything answered is saved in: {folder}", markup=False, soft_wrap=True)
    return ExitCode.OK
