"""Templates to HTML (jinja2) and HTML to PDF (WeasyPrint), safely.

* jinja2 with autoescape and ``StrictUndefined``: a business name is text, never
  markup, and a misspelt variable is an error, not a blank.
* A user's ``--template-dir`` comes before the packaged ``report_templates/``,
  for templates and for files (CSS, logo) alike; the packaged templates stay
  reachable as ``cbectool/NAME`` so a custom template can extend them.
* WeasyPrint gets a URL fetcher that serves only files inside those folders and
  ``data:`` URIs: nothing from the network, no other file on the machine.

WeasyPrint is imported inside the functions that need it (it costs ~0.7 s).
"""

from __future__ import annotations

import gc
import mimetypes
import traceback
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import jinja2

from cbectool import resources
from cbectool.errors import CbecError, MissingSystemLibraryError, NotFoundError

if TYPE_CHECKING:
    from types import ModuleType

PACKAGED_PREFIX = "cbectool"


class ReportTemplateError(CbecError):
    """A report template that cannot be rendered, located by template file and line."""


def template_roots(template_dir: Path | None = None) -> tuple[Path, ...]:
    """The folders templates and their files come from, the user's first."""
    packaged = resources.templates_dir().resolve()
    if template_dir is None:
        return (packaged,)
    if not template_dir.is_dir():
        raise NotFoundError(f"{template_dir}: no such template folder")
    return (template_dir.resolve(), packaged)


@cache
def _environment(roots: tuple[Path, ...]) -> jinja2.Environment:
    """One environment per set of folders, so templates compile once in a long-running process."""
    loader = jinja2.ChoiceLoader(
        [
            *(jinja2.FileSystemLoader(root) for root in roots),
            jinja2.PrefixLoader({PACKAGED_PREFIX: jinja2.FileSystemLoader(roots[-1])}),
        ]
    )
    environment = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["points"] = format_points
    return environment


def format_points(points: float) -> str:
    """Question points as a person writes them: ``4``, ``2.5``, ``0.25`` (the ``points`` filter of the templates)."""
    return f"{points:.2f}".rstrip("0").rstrip(".")


def render_html(template_name: str, context: Mapping[str, Any], *, template_dir: Path | None = None) -> str:
    """The template rendered to HTML; template problems become one-line ``ReportTemplateError``s."""
    roots = template_roots(template_dir)
    environment = _environment(roots)
    try:
        return environment.get_template(template_name).render(**context)
    except jinja2.TemplateSyntaxError as error:
        where = _display_path(error.filename, roots) if error.filename else error.name or template_name
        raise ReportTemplateError(f"{where}:{error.lineno}: template syntax error: {error.message}") from None
    except jinja2.TemplateNotFound as error:
        searched = ", ".join(str(root) for root in roots)
        including = _template_frame(error, roots)
        prefix = f"{including}: " if including else ""
        raise ReportTemplateError(f"{prefix}template '{error.name}' not found (looked in {searched})") from None
    except jinja2.TemplateError as error:
        where = _template_frame(error, roots) or template_name
        raise ReportTemplateError(f"{where}: template error: {error.message or type(error).__name__}") from None
    except Exception as error:  # e.g. {{ 1 / 0 }}: the user's template is at fault, not cbectool
        culprit = _template_frame(error, roots, within=roots[:-1])
        if culprit is None:
            raise
        raise ReportTemplateError(f"{culprit}: template error: {type(error).__name__}: {error}") from None


Notify = Callable[[str], None]
"""Receives one line per file or URL the PDF had to leave out (e.g. a logo missing from the template folder)."""


def html_to_pdf(html: str, roots: Sequence[Path], *, on_refused: Notify | None = None) -> bytes:
    """WeasyPrint's part: lay out the HTML and write the PDF, fetching only from ``roots``."""
    with _cyclic_gc_paused():  # the first call also imports WeasyPrint: as many objects again
        weasyprint = load_weasyprint()
        fetcher = make_url_fetcher(roots, on_refused=on_refused)
        document = weasyprint.HTML(string=html, base_url=roots[0].as_uri() + "/", url_fetcher=fetcher)
        pdf: bytes = document.write_pdf()
    return pdf


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Layout makes hundreds of thousands of short-lived objects; with cbectool's modules loaded
    every full collection walks ~300 000 more, which made a report 20-25% slower. Paused for
    one document (its memory is bounded) and resumed after, so a batch still collects between reports."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_template_pdf(
    template_name: str,
    context: Mapping[str, Any],
    *,
    template_dir: Path | None = None,
    on_refused: Notify | None = None,
) -> bytes:
    """Render ``template_name`` (e.g. ``report.html.j2``) with ``context`` to PDF bytes."""
    html = render_html(template_name, context, template_dir=template_dir)
    return html_to_pdf(html, template_roots(template_dir), on_refused=on_refused)


def load_weasyprint() -> ModuleType:
    """Import WeasyPrint, or say exactly which system packages are missing."""
    try:
        import weasyprint
    except OSError as error:
        from cbectool.system import check_pdf_libraries, install_hint

        missing = check_pdf_libraries() or [f"a library WeasyPrint loads ({error})"]
        raise MissingSystemLibraryError(install_hint(missing)) from None
    module: ModuleType = weasyprint
    return module


def make_url_fetcher(roots: Sequence[Path], *, record: Notify | None = None, on_refused: Notify | None = None) -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URIs and files inside ``roots``, nothing else.

    A file URL inside the first root is looked up in every root in order, so a
    custom template folder needs only the files it changes. ``record`` (tests)
    sees every URL WeasyPrint asks for, served or refused; ``on_refused`` gets a
    one-line reason for each refusal (WeasyPrint itself leaves the item out silently).
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    resolved = tuple(root.resolve() for root in roots)

    class FolderFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if record is not None:
                record(url)
            scheme = urllib.parse.urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                self._refuse(f"refused {url}: reports fetch nothing from the network")
            path = find_in_roots(url, resolved)
            if path is None and find_in_roots(url, resolved, existing=False) is not None:
                self._refuse(f"refused {url}: no such file in the template folder")
            if path is None:
                self._refuse(f"refused {url}: only files in the template folder can be used")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

        def _refuse(self, reason: str) -> NoReturn:
            if on_refused is not None:
                on_refused(f"left out of the PDF: {reason.removeprefix('refused ')}")
            raise ValueError(reason)

    return FolderFetcher()


def find_in_roots(url: str, roots: Sequence[Path], *, existing: bool = True) -> Path | None:
    """The file a ``file:`` URL names, if it lies inside one of ``roots`` (symlinks resolved).

    With ``existing=False``: where it would be, whether or not the file exists.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    requested = Path(urllib.request.url2pathname(parts.path)).resolve()
    relative = next((requested.relative_to(root) for root in roots if requested.is_relative_to(root)), None)
    if relative is None:
        return None
    for root in roots:
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and (candidate.is_file() or not existing):
            return candidate
    return None


def _display_path(filename: str, roots: Sequence[Path]) -> str:
    path = Path(filename)
    packaged = roots[-1]
    if path.is_relative_to(packaged):
        return f"report_templates/{path.relative_to(packaged).as_posix()}"
    return str(path)


def _template_frame(error: BaseException, roots: Sequence[Path], within: Sequence[Path] | None = None) -> str | None:
    """``file:line`` of the innermost template frame (jinja2 maps frames to template lines), in ``within`` folders."""
    folders = roots if within is None else within
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename)
        if path.is_absolute() and any(path.is_relative_to(folder) for folder in folders):
            return f"{_display_path(frame.filename, roots)}:{frame.lineno}"
    return None
