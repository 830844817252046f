"""The workshop's pages: a Starlette application over the participant store, the report workers
and the trainer's outputs.

Every page is a server-rendered form that works with JavaScript off; ``static/app.js`` only
adds comforts. Participants are known by an HttpOnly cookie holding their token, never by
anything in a URL, so no address leads to another participant's answers. Each POST carries
a CSRF token bound to the visitor cookie; the trainer's pages need a session opened with
the PIN. Work that touches files runs in a thread, under the participant's lock.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from cbectool import resources
from cbectool.interview.flow import Feedback, Interview, Outcome
from cbectool.text import localize
from cbectool.web import messages, security, views
from cbectool.web.engine import format_score
from cbectool.web.participants import Participant, ParticipantStore, SessionFull
from cbectool.web.reports import ReportOrder, ReportQueue, remove_leftovers
from cbectool.web.trainer import CohortOutputs

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STATIC_FILES = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}

VISITOR_COOKIE = "cbv"
PARTICIPANT_COOKIE = "cbp"
LANGUAGE_COOKIE = "cbl"
TRAINER_COOKIE = "cbt"
COOKIE_DAYS = 30

MAX_FIELD = 2000
"""The longest text a field may hold (a text answer's limit); longer is refused before anything is parsed."""
MAX_FIELDS = 64
NOTICES = frozenset({"stale", "incomplete", "first_question", "closed"})
REPORT_REFRESH_SECONDS = 4


@dataclass
class Settings:
    cohort: Path
    questionnaire: str | None = None
    participants_url: str = ""
    report_workers: int = 1
    say: Callable[[str], None] = lambda line: None
    """Tells the trainer something in the laptop's terminal (a new PIN, the session closed)."""
    pin: str | None = None
    max_participants: int | None = None
    max_per_address: int | None = None


@dataclass
class Workshop:
    """Everything the pages share while the server runs."""

    settings: Settings
    store: ParticipantStore
    reports: ReportQueue
    outputs: CohortOutputs
    pin: security.TrainerPin
    secret: bytes
    names: frozenset[str]
    closed: bool = False
    warnings: list[str] = field(default_factory=list)
    trainer_sessions: set[str] = field(default_factory=set)
    code_tries: security.AttemptLimiter = field(
        default_factory=lambda: security.AttemptLimiter(failures=10, window=600)
    )
    all_code_tries: security.AttemptLimiter = field(
        default_factory=lambda: security.AttemptLimiter(failures=200, window=600)
    )
    pin_tries: security.AttemptLimiter = field(default_factory=lambda: security.AttemptLimiter(failures=5, window=600))

    def order(self, participant: Participant) -> ReportOrder:
        result = self.store.result_path(participant)
        pdf = self.store.report_path(participant)
        assert result is not None and pdf is not None
        return ReportOrder(str(result), str(pdf), self.store.source, participant.report_lang)

    def queue_missing_reports(self) -> int:
        """Every finished check whose PDF is not on disk (a restart after Ctrl-C or a crash) is made now."""
        remove_leftovers(self.store.folder)
        queued = 0
        for participant in self.store.everyone():
            pdf = self.store.report_path(participant)
            if pdf is not None and not pdf.is_file():
                self.reports.submit(participant.id, self.order(participant))
                queued += 1
        return queued


def open_workshop(settings: Settings, reports: ReportQueue | None = None) -> Workshop:
    """Read the session's folder (participants of an earlier run included); raises ``CbecError`` if unusable."""
    limits: dict[str, Any] = {}
    if settings.max_participants is not None:
        limits["max_participants"] = settings.max_participants
    if settings.max_per_address is not None:
        limits["max_per_address"] = settings.max_per_address
    store = ParticipantStore(settings.cohort, settings.questionnaire, **limits)
    warnings = store.open()
    return Workshop(
        settings=settings,
        store=store,
        reports=reports or ReportQueue(settings.report_workers),
        outputs=CohortOutputs(settings.cohort, store.source),
        pin=security.TrainerPin(lambda pin, reason: settings.say(f"New trainer PIN: {pin}  ({reason})"), settings.pin),
        secret=store.secret(),
        names=security.machine_names(),
        warnings=warnings,
    )


_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


# Requests


@dataclass
class Visit:
    """One request's visitor: language, CSRF token, participant (if any) and cookies to set."""

    request: Request
    workshop: Workshop
    lang: str
    visitor: str
    new_visitor: bool
    participant: Participant | None

    @property
    def csrf(self) -> str:
        return security.csrf_token(self.workshop.secret, self.visitor)

    def t(self, key: str, **values: object) -> str:
        return messages.text(key, self.lang, **values)

    def ti(self, key: str, **values: object) -> Markup:
        return messages.isolated(key, self.lang, **values)

    def page(self, template: str, status: int = 200, **context: Any) -> Response:
        participant = self.participant
        html = _environment.get_template(template).render(
            lang=self.lang,
            dir=messages.direction(self.lang),
            t=self.t,
            ti=self.ti,
            csrf=self.csrf,
            here=self.request.url.path,
            other_languages=[(code, messages.LANGUAGE_NAMES[code]) for code in messages.LANGUAGES if code != self.lang],
            code=security.show_code(participant.code) if participant else "",
            **context,
        )
        return self.keep(HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"}))

    def keep(self, response: Response) -> Response:
        """Set the visitor cookie on a first visit (forms need it for their CSRF token)."""
        if self.new_visitor:
            _cookie(response, VISITOR_COOKIE, self.visitor)
        return response

    def redirect(self, path: str) -> Response:
        return self.keep(RedirectResponse(path, status_code=303))


def _cookie(response: Response, name: str, value: str, *, path: str = "/", days: int | None = COOKIE_DAYS) -> None:
    response.set_cookie(
        name,
        value,
        max_age=None if days is None else days * 86400,
        path=path,
        httponly=True,
        samesite="strict",
    )


def _workshop(request: Request) -> Workshop:
    workshop: Workshop = request.app.state.workshop
    return workshop


def visit(request: Request) -> Visit:
    workshop = _workshop(request)
    participant = workshop.store.by_token(request.cookies.get(PARTICIPANT_COOKIE))
    visitor = request.cookies.get(VISITOR_COOKIE, "")
    new_visitor = not re.fullmatch(r"[A-Za-z0-9_-]{43}", visitor)
    if new_visitor:
        visitor = security.new_token()
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if participant is not None:
        lang = participant.lang
    elif chosen in messages.LANGUAGES:
        lang = str(chosen)
    else:
        lang = messages.preferred_language(request.headers.get("accept-language", ""))
    return Visit(request, workshop, lang, visitor, new_visitor, participant)


async def form_of(request: Request, current: Visit) -> FormData:
    """The form, once its CSRF token and origin are checked and its fields are within the limits."""
    origin = request.headers.get("origin")
    if origin is not None and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host"):
        raise Refused(403, "expired")
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise Refused(400, "expired")
    try:
        form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    except HTTPException:  # more fields than any page has
        raise Refused(413, "too_large") from None
    if len(form.multi_items()) > MAX_FIELDS or any(
        not isinstance(value, str) or len(value) > MAX_FIELD for _, value in form.multi_items()
    ):
        raise Refused(413, "too_large")
    sent = form.get("csrf")
    if current.new_visitor or not security.csrf_valid(current.workshop.secret, current.visitor, str(sent or "")):
        raise Refused(403, "expired")
    return form


class Refused(Exception):
    """A request turned away with a page in the visitor's language."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def refused_page(request: Request, error: Refused) -> Response:
    current = visit(request)
    return current.page("problem.html.j2", status=error.status, message=current.t(error.message))


def _safe_path(path: str) -> str:
    """Only a path on this server: ``/check``, never ``//elsewhere`` or ``https://...``."""
    return path if re.fullmatch(r"/[A-Za-z0-9/_.-]*", path) and not path.startswith("//") else "/"


# The participant's pages


async def welcome(request: Request) -> Response:
    current = visit(request)
    return current.page(
        "welcome.html.j2",
        questionnaire_title=_title(current),
        resuming=current.participant is not None,
        closed=current.workshop.closed,
        notice="",
    )


def _title(current: Visit) -> str:
    return localize(current.workshop.store.questionnaire.title, current.lang)


async def start(request: Request) -> Response:
    current = visit(request)
    await form_of(request, current)
    workshop = current.workshop
    if workshop.closed:
        raise Refused(403, "closed")
    address = request.client.host if request.client else "unknown"
    try:
        _, token = await run_in_threadpool(workshop.store.create, address, current.lang)
    except SessionFull:
        raise Refused(429, "full") from None
    response = current.redirect("/check")
    _cookie(response, PARTICIPANT_COOKIE, token)
    return response


async def resume(request: Request) -> Response:
    """Another device continues a check with its short code; wrong codes are limited per address and in all."""
    current = visit(request)
    form = await form_of(request, current)
    workshop = current.workshop
    address = request.client.host if request.client else "unknown"
    if workshop.code_tries.blocked(address) or workshop.all_code_tries.blocked("*"):
        return _welcome_with(current, "too_many_tries", 429)
    participant = workshop.store.by_code(security.digits_of(str(form.get("code", ""))))
    if participant is None:
        workshop.code_tries.fail(address)
        workshop.all_code_tries.fail("*")
        return _welcome_with(current, "resume_wrong", 403)
    token = security.new_token()
    await run_in_threadpool(workshop.store.add_token, participant, token)
    response = current.redirect("/check")
    _cookie(response, PARTICIPANT_COOKIE, token)
    return response


def _welcome_with(current: Visit, notice: str, status: int) -> Response:
    return current.page(
        "welcome.html.j2",
        status=status,
        questionnaire_title=_title(current),
        resuming=current.participant is not None,
        closed=current.workshop.closed,
        notice=current.t(notice),
    )


def _participant(current: Visit) -> Participant:
    if current.participant is None:
        raise Refused(403, "no_check")
    return current.participant


async def check(request: Request) -> Response:
    current = visit(request)
    if current.participant is None:
        return current.redirect("/")
    participant = current.participant
    if participant.finished:
        return current.redirect("/result")
    notice = request.query_params.get("notice", "")
    if current.workshop.closed:
        notice = "closed"  # what was answered is saved; nothing more is taken
    return await _step_page(current, participant, notice=current.t(notice) if notice in NOTICES else "")


async def _step_page(
    current: Visit, participant: Participant, *, notice: str = "", sent: list[str] | None = None, status: int = 200
) -> Response:
    store = current.workshop.store

    def build(interview: Interview) -> tuple[str, dict[str, Any]]:
        if interview.in_review:
            return "review.html.j2", {"sections": views.review_view(interview)}
        return "step.html.j2", {"step": views.step_view(interview, sent)}

    template, context = await run_in_threadpool(store.read, participant, build)
    return current.page(template, status=status, notice=notice, closed=current.workshop.closed, **context)


async def answer(request: Request) -> Response:
    current = visit(request)
    form = await form_of(request, current)
    participant = _participant(current)
    workshop = current.workshop
    if workshop.closed:
        return current.redirect("/check")
    step = str(form.get("step", ""))
    sent = [str(value) for value in form.getlist("answer")]
    going_back = form.get("action") == "back"

    def act(interview: Interview) -> Feedback:
        if interview.state.position != step:
            return Feedback(Outcome.INVALID, "stale")  # a second tap, or a page from before a change
        return interview.back() if going_back else interview.answer(sent)

    feedback = await run_in_threadpool(workshop.store.act, participant, act)
    if feedback.outcome == Outcome.INVALID and feedback.text == "stale":
        return current.redirect("/check?notice=stale")
    if feedback.outcome == Outcome.FIRST:
        return current.redirect("/check?notice=first_question")
    if feedback.outcome == Outcome.INVALID:
        message = await run_in_threadpool(workshop.store.read, participant, lambda i: views.refusal(i, sent))
        return await _step_page(current, participant, notice=message, sent=sent, status=422)
    return current.redirect("/check")


async def change(request: Request) -> Response:
    current = visit(request)
    form = await form_of(request, current)
    participant = _participant(current)
    if current.workshop.closed:
        return current.redirect("/check")
    key = str(form.get("key", ""))
    feedback = await run_in_threadpool(current.workshop.store.act, participant, lambda i: i.jump(key))
    return current.redirect("/check" if feedback.outcome == Outcome.CHANGE else "/check?notice=stale")


async def finish(request: Request) -> Response:
    current = visit(request)
    await form_of(request, current)
    participant = _participant(current)
    workshop = current.workshop
    if workshop.closed:
        return current.redirect("/check")
    feedback = await run_in_threadpool(workshop.store.finish, participant)
    if feedback.outcome == Outcome.INCOMPLETE:
        return current.redirect("/check?notice=incomplete")
    if feedback.outcome != Outcome.FINISH:
        return current.redirect("/check?notice=stale")
    workshop.reports.submit(participant.id, workshop.order(participant))
    return current.redirect("/result")


async def result(request: Request) -> Response:
    current = visit(request)
    participant = current.participant
    if participant is None or not participant.finished:
        return current.redirect("/check" if participant else "/")
    workshop = current.workshop
    summary = await run_in_threadpool(workshop.store.result_summary, participant, current.lang)
    pdf = workshop.store.report_path(participant)
    assert pdf is not None
    status = workshop.reports.status(participant.id, pdf)
    if status == "missing":
        workshop.reports.submit(participant.id, workshop.order(participant))
        status = "making"
    return current.page(
        "result.html.j2",
        result=views.result_view(summary),
        name=participant.name,
        report=status,
        refresh=REPORT_REFRESH_SECONDS if status == "making" else 0,
    )


async def report(request: Request) -> Response:
    """The participant's own PDF: the cookie says whose, so no one can name another's."""
    current = visit(request)
    participant = current.participant
    if participant is None or not participant.finished:
        raise Refused(403, "no_check")
    return _pdf(current, participant)


def _pdf(current: Visit, participant: Participant) -> Response:
    pdf = current.workshop.store.report_path(participant)
    if pdf is None or not pdf.is_file() or current.workshop.reports.status(participant.id, pdf) != "ready":
        return current.redirect("/result" if current.participant is participant else "/trainer")
    download = f"{pdf.stem}-cbec-report.pdf"
    return FileResponse(
        pdf, media_type="application/pdf", filename=download, headers={"cache-control": "private, no-store"}
    )


async def language(request: Request) -> Response:
    current = visit(request)
    form = await form_of(request, current)
    lang = messages.known_language(str(form.get("lang", "")))
    if current.participant is not None:
        await run_in_threadpool(current.workshop.store.set_language, current.participant, lang)
    response = current.redirect(_safe_path(str(form.get("next", "/"))))
    response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, path="/", samesite="strict", httponly=True)
    return response


async def new_check(request: Request) -> Response:
    """This phone forgets its check (its code still opens it) so another owner can start."""
    current = visit(request)
    await form_of(request, current)
    response = current.redirect("/")
    response.delete_cookie(PARTICIPANT_COOKIE, path="/")
    return response


# The trainer's pages


def _trainer(current: Visit) -> bool:
    token = current.request.cookies.get(TRAINER_COOKIE)
    return bool(token) and security.token_hash(str(token)) in current.workshop.trainer_sessions


async def trainer(request: Request) -> Response:
    current = visit(request)
    if not _trainer(current):
        return current.page("trainer_login.html.j2", notice="")
    return current.page("trainer.html.j2", **_dashboard(current))


def _dashboard(current: Visit) -> dict[str, Any]:
    workshop = current.workshop
    everyone = workshop.store.everyone()
    rows = []
    for participant in everyone:
        pdf = workshop.store.report_path(participant)
        rows.append(
            {
                "id": participant.id,
                "name": participant.name,
                "done": participant.done,
                "total": participant.total,
                "finished": participant.finished,
                "level": participant.level,
                "score": "" if participant.score is None else format_score(participant.score),
                "code": security.show_code(participant.code),
                "report": workshop.reports.status(participant.id, pdf) if pdf is not None else "",
            }
        )
    state = workshop.outputs.state
    return {
        "rows": rows,
        "count": len(everyone),
        "finished": sum(1 for participant in everyone if participant.finished),
        "outputs": state,
        "files": workshop.outputs.available(),
        "folder": str(workshop.outputs.out),
        "closed": workshop.closed,
        "join": workshop.settings.participants_url,
        "refresh": 0,
    }


async def trainer_table(request: Request) -> Response:
    """The table's body alone, for the page's script to refresh it in place."""
    current = visit(request)
    if not _trainer(current):
        raise Refused(403, "expired")
    html = _environment.get_template("trainer_rows.html.j2").render(t=current.t, ti=current.ti, **_dashboard(current))
    return HTMLResponse(html, headers={"cache-control": "no-store"})


async def trainer_login(request: Request) -> Response:
    current = visit(request)
    form = await form_of(request, current)
    workshop = current.workshop
    address = request.client.host if request.client else "unknown"
    if workshop.pin_tries.blocked(address):
        return current.page("trainer_login.html.j2", status=429, notice=current.t("too_many_tries"))
    if not workshop.pin.check(str(form.get("pin", ""))):
        workshop.pin_tries.fail(address)
        return current.page("trainer_login.html.j2", status=403, notice=current.t("pin_wrong"))
    token = security.new_token()
    workshop.trainer_sessions.add(security.token_hash(token))
    response = current.redirect("/trainer")
    _cookie(response, TRAINER_COOKIE, token, days=None)
    return response


async def _trainer_form(request: Request) -> tuple[Visit, FormData]:
    current = visit(request)
    form = await form_of(request, current)
    if not _trainer(current):
        raise Refused(403, "expired")
    return current, form


async def trainer_outputs(request: Request) -> Response:
    current, form = await _trainer_form(request)
    workshop = current.workshop
    if any(participant.finished for participant in workshop.store.everyone()):
        workshop.outputs.start(pack=form.get("kind") == "pack", lang=current.lang)
    return current.redirect("/trainer")


async def trainer_output_file(request: Request) -> Response:
    current = visit(request)
    if not _trainer(current):
        raise Refused(403, "expired")
    path = current.workshop.outputs.file(request.path_params["name"])
    if path is None:
        raise Refused(404, "not_found")
    return FileResponse(path, filename=path.name, headers={"cache-control": "private, no-store"})


async def trainer_report(request: Request) -> Response:
    current = visit(request)
    if not _trainer(current):
        raise Refused(403, "expired")
    participant = current.workshop.store.get(request.path_params["participant"])
    if participant is None or not participant.finished:
        raise Refused(404, "not_found")
    return _pdf(current, participant)


async def trainer_close(request: Request) -> Response:
    current, form = await _trainer_form(request)
    if form.get("confirm") != "yes":  # the box says "Yes, close it" (browsers check it first, too)
        return current.redirect("/trainer")
    current.workshop.closed = True
    current.workshop.settings.say("The trainer closed the session: no more answers. Stop the server with Ctrl-C.")
    return current.redirect("/trainer")


# Assets


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC_FILES:
        raise Refused(404, "not_found")
    return FileResponse(STATIC / name, media_type=STATIC_FILES[name], headers={"cache-control": "max-age=3600"})


def report_font_families(css: str | None = None) -> list[str]:
    """The font families the report's ``fonts.css`` declares (today "cbectool Naskh"), quoted as in CSS."""
    if css is None:
        css = (resources.templates_dir() / "fonts.css").read_text(encoding="utf-8")
    return list(dict.fromkeys(re.findall(r"font-family:\s*(\"[^\"]+\"|'[^']+')", css)))


def font_stylesheet() -> str:
    """The report's own ``fonts.css`` (the Urdu font), served from the laptop, and its families as a variable:
    when the report changes its font, the pages follow."""
    css = (resources.templates_dir() / "fonts.css").read_text(encoding="utf-8")
    families = report_font_families(css)
    css = css.replace('url("fonts/', 'url("/static/fonts/')
    return f"{css}\n:root {{ --report-fonts: {', '.join(families) or 'serif'}; }}\n"


async def fonts_css(request: Request) -> Response:
    return Response(font_stylesheet(), media_type="text/css; charset=utf-8", headers={"cache-control": "max-age=3600"})


async def font_file(request: Request) -> Response:
    name = request.path_params["name"]
    folder = resources.templates_dir() / "fonts"
    if not re.fullmatch(r"[A-Za-z0-9_-]+\.(ttf|otf|woff2?)", name) or not (folder / name).is_file():
        raise Refused(404, "not_found")
    return FileResponse(folder / name, headers={"cache-control": "max-age=86400"})


async def not_found(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals: no such route (404), a method a route does not take (405)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    current = visit(request)
    return current.page("problem.html.j2", status=status, message=current.t("not_found"))


async def refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    return refused_page(request, exc)


def create_app(workshop: Workshop, *, warm_up: bool = True) -> Any:
    """The ASGI application: the routes behind the guard (headers, host names, body size)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if warm_up:
            workshop.reports.warm_up()
        workshop.queue_missing_reports()
        try:
            yield
        finally:
            workshop.reports.shutdown()
            workshop.outputs.shutdown()

    routes = [
        Route("/", welcome),
        Route("/start", start, methods=["POST"]),
        Route("/resume", resume, methods=["POST"]),
        Route("/check", check),
        Route("/check", answer, methods=["POST"]),
        Route("/check/change", change, methods=["POST"]),
        Route("/check/finish", finish, methods=["POST"]),
        Route("/result", result),
        Route("/report.pdf", report),
        Route("/language", language, methods=["POST"]),
        Route("/new", new_check, methods=["POST"]),
        Route("/trainer", trainer),
        Route("/trainer/login", trainer_login, methods=["POST"]),
        Route("/trainer/table", trainer_table),
        Route("/trainer/outputs", trainer_outputs, methods=["POST"]),
        Route("/trainer/outputs/{name}", trainer_output_file),
        Route("/trainer/report/{participant}", trainer_report),
        Route("/trainer/close", trainer_close, methods=["POST"]),
        Route("/static/fonts.css", fonts_css),
        Route("/static/fonts/{name}", font_file),
        Route("/static/{name}", static),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: not_found, Refused: refused},
    )
    app.state.workshop = workshop
    return security.GuardMiddleware(app, workshop.names)
