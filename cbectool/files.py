"""Safe file writing: atomic replaces and file names built from what users typed."""

from __future__ import annotations

import io
import os
import re
import stat
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from cbectool.errors import CbecError

PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700


class AtomicFile:
    """A binary file written beside ``path`` that replaces it only on ``commit()``.

    Readers see the old file or the complete new one, never half of one;
    ``discard()`` (or an error inside ``atomic_output``) leaves no temporary
    file behind. The new file gets the usual permissions: those of the file it
    replaces, or 0666 less the umask (``mkstemp`` alone would make it 0600).
    A ``private`` file (an owner's answers: a phone number, the state of a
    business) is readable by its owner only on POSIX, whatever it replaces, and
    a folder made for it too.
    """

    def __init__(self, path: Path, *, private: bool = False) -> None:
        self.path = path
        self.private = private
        try:
            _make_folder(path.parent, private=private)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise CbecError(f"{path}: cannot write here ({exc.strerror})") from None
        self._temporary = Path(temporary)
        self.stream: BinaryIO = os.fdopen(handle, "wb")

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        self._temporary.chmod(PRIVATE_FILE_MODE if self.private else _mode_for(self.path))
        self._temporary.replace(self.path)

    def discard(self) -> None:
        self.stream.close()
        self._temporary.unlink(missing_ok=True)


@contextmanager
def atomic_output(path: Path, *, private: bool = False) -> Iterator[BinaryIO]:
    """``with atomic_output(path) as stream:``: the file replaces ``path`` when the block ends without error."""
    file = AtomicFile(path, private=private)
    try:
        yield file.stream
    except BaseException:
        file.discard()
        raise
    try:
        file.commit()
    except BaseException:
        file.discard()
        raise


def _make_folder(folder: Path, *, private: bool) -> None:
    """Make ``folder`` and its parents; a private file's own folder is made owner-only (its parents are not)."""
    if folder.is_dir():
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.mkdir(mode=PRIVATE_FOLDER_MODE if private else 0o777, exist_ok=True)


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_output``)."""
    with atomic_output(path, private=private) as stream:
        stream.write(data)


def write_text_atomic(path: Path, text: str, *, private: bool = False) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), private=private)


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
)
MAX_STEM = 80


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _keep(char: str) -> bool:
    """Drop control and bidi-override characters (they can disguise a name); keep Urdu's joiners."""
    category = unicodedata.category(char)
    return char not in _BIDI_CONTROLS and (category == "Cf" or not category.startswith("C"))


def safe_stem(text: str, fallback: str = "business") -> str:
    """A file-name stem from a business name: no path parts, nothing Windows rejects, Urdu kept.

    >>> safe_stem("Ali & Sons / Sialkot")
    'Ali-&-Sons-Sialkot'
    """
    normalised = unicodedata.normalize("NFC", text)
    cleaned = _UNSAFE.sub(" ", normalised)
    cleaned = "".join(char for char in cleaned if _keep(char))
    stem = "-".join(cleaned.split()).strip(".-")
    while ".." in stem:
        stem = stem.replace("..", ".")
    stem = stem[:MAX_STEM].rstrip(".-")
    if not stem or stem.split(".")[0].casefold() in _WINDOWS_RESERVED:
        stem = f"{fallback}-{stem}" if stem else fallback
    return stem


_SIGNATURES = (
    (b"%PDF-", "a PDF"),
    (b"\x89PNG\r\n\x1a\n", "an image (PNG)"),
    (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF87a", "an image (GIF)"),
    (b"GIF89a", "an image (GIF)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.xls or .doc)"),
    (b"\x1f\x8b", "a compressed file (.gz)"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)
_ZIP_CONTENTS = (
    ("xl/", "a spreadsheet (.xlsx)"),
    ("word/", "a Word document (.docx)"),
    ("ppt/", "a presentation (.pptx)"),
    ("content.xml", "an OpenDocument file (.ods or .odt)"),
)


def describe_binary(data: bytes) -> str | None:
    """What a file that is not text looks like (``"a PDF"``, ``"a spreadsheet (.xlsx)"``), or None.

    For messages that say what a user gave instead of the file a command reads.
    """
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "an image (WebP)"
    if data[4:8] == b"ftyp":
        return "an image or video (HEIC, MP4)"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, OSError):
            names = []
        for prefix, kind in _ZIP_CONTENTS:
            if any(name.startswith(prefix) for name in names):
                return kind
        return "a ZIP archive"
    return None
