"""A report never runs a business's text as markup and fetches nothing outside the template folders."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from cbectool import resources
from cbectool.report import render, render_report_html, render_report_pdf, render_template_pdf
from cbectool.response import parse_response
from cbectool.scoring import Evaluated, evaluate

DATA = Path(__file__).parent / "data"
STARTER = DATA / "questionnaires" / "starter.yaml"
SAMPLE = DATA / "responses" / "sample-sialkot.json"
HOSTILE = '<img src="file:///etc/passwd">'
OUTSIDE = ("file:///etc/passwd", "http://example.com/x.png")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _hostile() -> Evaluated:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["business"]["name"] = HOSTILE
    data["business"]["city"] = "<script>alert(1)</script>"
    return evaluate(parse_response(data, "test"), resources.load(str(STARTER)))


class Recorder:
    """Wraps the real fetcher factory so a test sees every URL WeasyPrint asks for, and what was served."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.requested: list[str] = []
        self.served: list[str] = []
        real = render.make_url_fetcher

        def recording_fetcher(roots: Any, **kwargs: Any) -> Any:
            fetcher = real(roots, record=self.requested.append, **kwargs)
            original = fetcher.fetch

            def fetch(url: str, headers: Any = None) -> Any:
                response = original(url, headers)  # raises when refused: then nothing is recorded as served
                self.served.append(url)
                return response

            fetcher.fetch = fetch
            return fetcher

        monkeypatch.setattr(render, "make_url_fetcher", recording_fetcher)


def _inside_templates(url: str, *roots: Path) -> bool:
    return url.startswith("data:") or any(url.startswith(root.resolve().as_uri() + "/") for root in roots)


@pytest.fixture(scope="module")
def hostile_pdf() -> tuple[bytes, list[str], list[str]]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        recorder = Recorder(monkeypatch)
        pdf = render_report_pdf(_hostile())
    return pdf, recorder.requested, recorder.served


def test_hostile_business_name_prints_as_text(hostile_pdf: tuple[bytes, list[str], list[str]]) -> None:
    pdf, _, _ = hostile_pdf
    reader = PdfReader(io.BytesIO(pdf))
    cover = _flat(reader.pages[0].extract_text())
    assert HOSTILE in cover
    assert "<script>alert(1)</script>" in cover
    assert all(not page.images for page in reader.pages)  # the <img> was never an image


def test_hostile_render_fetches_only_the_bundled_styles_and_the_chart(
    hostile_pdf: tuple[bytes, list[str], list[str]],
) -> None:
    _, requested, served = hostile_pdf
    templates = resources.templates_dir()
    assert requested == served  # nothing was refused: nothing outside was even asked for
    assert all(_inside_templates(url, templates) for url in requested), requested
    assert templates.resolve().joinpath("report.css").as_uri() in served
    assert any(url.startswith("data:image/svg+xml") for url in served)


def test_autoescape_is_on_for_every_template_and_strict_undefined(tmp_path: Path) -> None:
    html = render_report_html(_hostile())
    assert HOSTILE not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    environment = render._environment(render.template_roots(None))
    assert environment.autoescape is True
    (tmp_path / "plain.txt.j2").write_text("{{ value }}", encoding="utf-8")
    assert render.render_html("plain.txt.j2", {"value": "<b>"}, template_dir=tmp_path) == "&lt;b&gt;"


def test_custom_template_cannot_fetch_local_files_or_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (tmp_path / "secret.png").write_bytes(_tiny_png())  # beside the folder, not in it
    (folder / "logo.png").write_bytes(_tiny_png())
    (folder / "greedy.html.j2").write_text(
        "<html><head><style>\n"
        '@import url("http://example.com/x.css");\n'
        'body { background: url("file:///etc/passwd"); }\n'
        "</style></head><body>\n"
        '<img src="logo.png" alt="logo">\n'
        '<img src="file:///etc/passwd" alt="passwd">\n'
        '<img src="http://example.com/x.png" alt="remote">\n'
        '<img src="../secret.png" alt="climb">\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
        '<image href="file:///etc/hostname" width="10" height="10"/></svg>\n'
        '<link rel="attachment" href="file:///etc/group">\n'
        "<p>{{ name }}</p></body></html>\n",
        encoding="utf-8",
    )
    recorder = Recorder(monkeypatch)
    pdf = render_template_pdf("greedy.html.j2", {"name": "Ali"}, template_dir=folder)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages[0].images) == 1  # the logo, and only the logo
    assert (folder / "logo.png").resolve().as_uri() in recorder.served
    refused = [url for url in recorder.requested if url not in recorder.served]
    inside_svg, attachment = "file:///etc/hostname", "file:///etc/group"
    for url in (
        *OUTSIDE,
        "http://example.com/x.css",
        (tmp_path / "secret.png").resolve().as_uri(),
        inside_svg,
        attachment,
    ):
        assert url in refused
    assert all(_inside_templates(url, folder, resources.templates_dir()) for url in recorder.served)


@pytest.mark.parametrize("url", [*OUTSIDE, "https://example.com/", "ftp://example.com/x", "file://server/share/x"])
def test_fetcher_refuses_everything_outside_the_template_folders(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.request

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the fetcher must not open any URL")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    fetcher = render.make_url_fetcher([resources.templates_dir()])
    with pytest.raises(ValueError, match=r"^refused "):
        fetcher.fetch(url)


def test_fetcher_refuses_symlinks_and_climbs_out_of_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (folder / "link.css").symlink_to(secret)
    (folder / "ok.css").write_text("p {}", encoding="utf-8")
    fetcher = render.make_url_fetcher([folder])
    for url in (folder.as_uri() + "/link.css", folder.as_uri() + "/../secret.txt", secret.as_uri()):
        with pytest.raises(ValueError, match="only files in the template folder"):
            fetcher.fetch(url)
    assert fetcher.fetch(folder.as_uri() + "/ok.css").read() == b"p {}"


def test_files_missing_from_a_custom_folder_come_from_the_bundled_one(tmp_path: Path) -> None:
    roots = render.template_roots(tmp_path)
    fetcher = render.make_url_fetcher(roots)
    served = fetcher.fetch(tmp_path.resolve().as_uri() + "/report.css")
    assert served.read() == (resources.templates_dir() / "report.css").read_bytes()
    (tmp_path / "theme.css").write_text(":root { --accent: #000; }", encoding="utf-8")
    assert fetcher.fetch(tmp_path.resolve().as_uri() + "/theme.css").read() == b":root { --accent: #000; }"


def _tiny_png() -> bytes:
    """A valid 1x1 black PNG, built here so the test needs no image file."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


def test_command_warns_about_what_a_custom_template_could_not_use(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cbectool import cli

    folder = tmp_path / "branding"
    folder.mkdir()
    (folder / "brand.html.j2").write_text(
        '<img src="logo.png" alt="logo"><img src="http://example.com/x.png" alt="remote">\n', encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli.app,
        ["report", str(SAMPLE), "-q", str(STARTER), "--template-dir", str(folder), "-o", str(tmp_path / "r.pdf")],
    )
    assert result.exit_code == 0, result.output
    logo = (folder / "logo.png").resolve().as_uri()
    assert result.stderr == (
        f"Warning: left out of the PDF: {logo}: no such file in the template folder\n"
        "Warning: left out of the PDF: http://example.com/x.png: reports fetch nothing from the network\n"
    )
    assert result.stdout == f"Report written to {tmp_path / 'r.pdf'}\n"
