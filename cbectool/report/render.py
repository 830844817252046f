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
import re
import traceback
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import jinja2
from markupsafe import Markup

from cbectool import i18n, resources
from cbectool.errors import CbecError, MissingSystemLibraryError, NotFoundError

if TYPE_CHECKING:
    from types import ModuleType

PACKAGED_PREFIX = "cbectool"
# Translators: between the numbers of a list, as in "steps 3, 4"
LIST_SEPARATOR = i18n.N_(", ")
# Translators: before the last number of a list, as in "steps 3, 4 and 5"
LIST_LAST = i18n.N_(" and ")


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
def _environment(roots: tuple[Path, ...], lang: str = "en") -> jinja2.Environment:
    """One environment per set of folders and language, so templates compile once in a long-running process
    and each document speaks one language (a batch or a workshop renders several at once)."""
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
        extensions=["jinja2.ext.i18n"],
    )
    environment.filters["points"] = format_points
    install_language(environment, lang)
    return environment


def install_language(environment: jinja2.Environment, lang: str) -> None:
    """The interface's catalogue in ``lang`` for ``_()`` and ``{% trans %}`` (Jinja's i18n extension, new style:
    ``%(name)s`` placeholders, filled after translation and escaped), and the helpers a template needs to
    lay out a right-to-left document: ``bdi`` (a value that keeps its own direction), ``series`` (numbers
    joined as the language lists them) and ``page_content`` (a translated page counter for CSS)."""
    translations = i18n.catalogue(lang)
    rtl = i18n.is_right_to_left(lang)

    def isolated(value: Any) -> Any:
        if not rtl or value is None or isinstance(value, jinja2.Undefined) or i18n.has_right_to_left(str(value)):
            return value  # right-to-left text needs no isolating in a right-to-left document
        if isinstance(value, Markup):
            return Markup(i18n.FIRST_STRONG_ISOLATE) + value + Markup(i18n.POP_DIRECTIONAL_ISOLATE)
        return i18n.isolate(str(value))

    def fill(context: Any, text: str, variables: dict[str, Any]) -> Any:
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % {name: isolated(value) for name, value in variables.items()}

    @jinja2.pass_context
    def gettext(context: Any, message: str, **variables: Any) -> Any:
        return fill(context, translations.gettext(message), variables)

    @jinja2.pass_context
    def ngettext(context: Any, singular: str, plural: str, count: int, **variables: Any) -> Any:
        variables.setdefault("num", count)
        return fill(context, translations.ngettext(singular, plural, count), variables)

    @jinja2.pass_context
    def pgettext(context: Any, message_context: str, message: str, **variables: Any) -> Any:
        return fill(context, translations.pgettext(message_context, message), variables)

    def numbers(items: Sequence[object]) -> str:
        """``3, 4``: numbers joined by the language's comma."""
        return translations.gettext(LIST_SEPARATOR).join(str(item) for item in items)

    def series(numbers: Sequence[object]) -> str:
        """``3, 4 and 5``: the words between the items are the catalogue's."""
        items = [str(number) for number in numbers]
        if len(items) < 2:
            return "".join(items)
        separator, last = translations.gettext(LIST_SEPARATOR), translations.gettext(LIST_LAST)
        return separator.join(items[:-1]) + last + items[-1]

    def page_content(message: str, counter: str) -> Markup:
        """A CSS ``content`` value: the translated ``message`` around the CSS ``counter``, e.g.
        ``"Page " counter(page) " of " counter(pages)`` for "Page %(page)s of %(pages)s"."""
        counters = {"page": "counter(page)", "pages": "counter(pages)", "target": counter}
        pieces = re.split(r"(%\((?:page|pages|target)\)s)", translations.gettext(message))
        values = []
        for piece in pieces:
            name = re.fullmatch(r"%\((\w+)\)s", piece)
            if name:
                values.append(counters[name.group(1)])
            elif piece:
                values.append(_css_string(piece.replace("%%", "%")))
        return Markup(" ".join(values))

    environment.newstyle_gettext = True  # type: ignore[attr-defined]
    environment.policies["ext.i18n.trimmed"] = True
    environment.globals.update(gettext=gettext, ngettext=ngettext, pgettext=pgettext, page_content=page_content)
    environment.filters["bdi"] = isolated
    environment.filters["series"] = series
    environment.filters["numbers"] = numbers


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string (backslashes, quotes and line ends escaped; no-break space as ``\\a0 ``)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("\u00a0", "\\a0 ")
    return f'"{escaped}"'


def format_points(points: float) -> str:
    """Question points as a person writes them: ``4``, ``2.5``, ``0.25`` (the ``points`` filter of the templates)."""
    return f"{points:.2f}".rstrip("0").rstrip(".")


def render_html(
    template_name: str, context: Mapping[str, Any], *, template_dir: Path | None = None, lang: str = "en"
) -> str:
    """The template rendered to HTML in ``lang``; template problems become one-line ``ReportTemplateError``s."""
    roots = template_roots(template_dir)
    environment = _environment(roots, lang)
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
    lang: str = "en",
) -> bytes:
    """Render ``template_name`` (e.g. ``report.html.j2``) with ``context`` in ``lang`` to PDF bytes."""
    html = render_html(template_name, context, template_dir=template_dir, lang=lang)
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
