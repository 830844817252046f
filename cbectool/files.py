"""Safe file writing: atomic replaces and file names built from what users typed."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from cbectool.errors import CbecError


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary stream that replaces ``path`` only when the block ends without error.

    Readers see the old file or the complete new one, never half of one; an
    interrupted write leaves no temporary file behind. The new file gets the
    usual permissions (those of the file it replaces, or 0666 less the umask).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise CbecError(f"{path}: cannot write here ({exc.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).chmod(_mode_for(path))
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_output``)."""
    with atomic_output(path) as stream:
        stream.write(data)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


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
