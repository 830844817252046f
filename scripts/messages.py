"""The interface's message catalogues: extract, update, compile and check them, with Babel.

    .venv/bin/python scripts/messages.py update     # extract every message; add new ones to each .po
    .venv/bin/python scripts/messages.py compile    # .po -> .mo (the files cbectool reads; committed)
    .venv/bin/python scripts/messages.py check      # what tests/test_catalogue.py checks, as a list
    .venv/bin/python scripts/messages.py init LANG  # start a catalogue for a new language

Messages come from ``N_``/``gettext``/``ngettext``/``pgettext`` calls in ``cbectool/`` and from
``_()``/``{% trans %}`` in the report templates and workshop mode's pages. A translator edits
``cbectool/locale/LANG/LC_MESSAGES/cbectool.po`` (docs/urdu.md says how for Urdu), then runs
``compile`` and ``./run test``.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "cbectool" / "locale"
DOMAIN = "cbectool"
JINJA = "jinja2.ext:babel_extract"
JINJA_OPTIONS = {"trimmed": "true", "newstyle_gettext": "true", "trim_blocks": "true", "lstrip_blocks": "true"}
SOURCES: tuple[tuple[str, list[tuple[str, str]]], ...] = (
    ("cbectool", [("locale/**", "ignore"), ("**.py", "python"), ("web/templates/**.j2", JINJA)]),
    ("report_templates", [("**.j2", JINJA)]),
)
COMMENT_TAGS = ("Translators:",)
KEYWORDS = {**DEFAULT_KEYWORDS, "translate": None, "page_content": None}  # i18n.translate; templates' page_content
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)s")
MARKUP = re.compile(r"</?[a-z]+>")


def extract() -> Catalog:
    """Every message of the interface, freshly extracted (a template catalogue, untranslated)."""
    template = Catalog(project="cbectool", domain=DOMAIN, msgid_bugs_address="", fuzzy=False)
    for folder, method_map in SOURCES:
        options = {pattern: JINJA_OPTIONS for pattern, method in method_map if method == JINJA}
        found = extract_from_dir(
            ROOT / folder, method_map, options, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True
        )
        for filename, lineno, message, comments, context in found:
            template.add(message, None, [(f"{folder}/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    return sorted(path.name for path in LOCALE.iterdir() if po_path(path.name).is_file())


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as stream:
        return read_po(stream, locale=lang, domain=DOMAIN)


def write(catalog: Catalog, lang: str) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_lineno=False, ignore_obsolete=True, sort_by_file=False)
    po_path(lang).write_bytes(buffer.getvalue())


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update() -> None:
    template = extract()
    for lang in languages():
        catalog = read(lang)
        template.creation_date = catalog.creation_date  # the file changes only when its messages do
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        write(catalog, lang)
        print(f"{po_path(lang).relative_to(ROOT)}: {len(template)} messages")


def compile_all() -> None:
    for lang in languages():
        target = po_path(lang).with_suffix(".mo")
        target.write_bytes(compiled(read(lang)))
        print(f"wrote {target.relative_to(ROOT)}")


def init(lang: str) -> None:
    if po_path(lang).exists():
        sys.exit(f"{po_path(lang).relative_to(ROOT)} exists already; use update")
    catalog = Catalog(
        locale=lang,
        domain=DOMAIN,
        project="cbectool",
        version="",
        msgid_bugs_address="",
        header_comment=f"# The interface of cbectool in {lang}: see docs/urdu.md (register, glossary, how to review).",
        last_translator="",
        language_team="",
        fuzzy=False,
    )
    catalog.update(extract(), no_fuzzy_matching=True)
    po_path(lang).parent.mkdir(parents=True, exist_ok=True)
    write(catalog, lang)
    print(f"wrote {po_path(lang).relative_to(ROOT)}")


def _key(message: Message) -> tuple[str, str | None]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


def problems(lang: str, template: Catalog | None = None, catalog: Catalog | None = None) -> Iterator[str]:
    """Why the catalogue of ``lang`` (its file, or ``catalog``) is incomplete: a line per problem, none if complete."""
    template = template or extract()
    catalog = catalog or read(lang)
    wanted = {_key(message) for message in template if message.id}
    have = {_key(message): message for message in catalog if message.id}
    for key in sorted(wanted - have.keys(), key=str):
        yield f"{lang}: not in the catalogue (run scripts/messages.py update): {key[0]!r}"
    for key in sorted(have.keys() - wanted, key=str):
        yield f"{lang}: no longer used (run scripts/messages.py update): {key[0]!r}"
    for key, message in have.items():
        if key not in wanted:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            yield f"{lang}: fuzzy, to be checked: {key[0]!r}"
        if not all(string and string.strip() for string in strings):
            yield f"{lang}: not translated: {key[0]!r}"
            continue
        for index, string in enumerate(strings):
            english = ids[
                min(index, len(ids) - 1)
            ]  # a plural's first form goes with the singular, the rest with the plural
            expected = set(PLACEHOLDER.findall(english))
            if set(PLACEHOLDER.findall(string)) != expected:
                yield f"{lang}: placeholders differ from the English {sorted(expected)}: {key[0]!r}"
            if sorted(MARKUP.findall(string)) != sorted(MARKUP.findall(english)):
                yield f"{lang}: HTML tags differ from the English: {key[0]!r}"
    mo = po_path(lang).with_suffix(".mo")
    if not mo.is_file() or mo.read_bytes() != compiled(catalog):
        yield f"{lang}: {mo.relative_to(ROOT)} is not compiled from the .po (run scripts/messages.py compile)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["update", "compile", "check", "init"])
    parser.add_argument("lang", nargs="?")
    arguments = parser.parse_args()
    if arguments.command == "update":
        update()
    elif arguments.command == "compile":
        compile_all()
    elif arguments.command == "init":
        if not arguments.lang:
            parser.error("init needs a language code, e.g. ur")
        init(arguments.lang)
    else:
        template = extract()
        found = [line for lang in languages() for line in problems(lang, template)]
        print("\n".join(found) or f"complete: {', '.join(languages())} ({len(template)} messages)")
        sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
