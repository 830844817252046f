"""Checks of the system libraries PDF reports need, without importing WeasyPrint.

A bootstrap script or ``cbectool report`` can call ``check_pdf_libraries()``
cheaply (``ctypes.util.find_library`` only) and tell the user what to install.
"""

from __future__ import annotations

import ctypes.util
import sys
from pathlib import Path

# (what WeasyPrint loads, the library name find_library knows, the Debian/Ubuntu package)
PDF_LIBRARIES: tuple[tuple[str, str, str], ...] = (
    ("Pango", "pango-1.0", "libpango-1.0-0"),
    ("PangoFT2", "pangoft2-1.0", "libpangoft2-1.0-0"),
    ("HarfBuzz", "harfbuzz", "libharfbuzz0b"),
    ("Fontconfig", "fontconfig", "libfontconfig1"),
    ("GObject", "gobject-2.0", "libglib2.0-0"),
)
DEJAVU_FOLDERS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
)
DEBIAN_INSTALL = "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"


def check_pdf_libraries() -> list[str]:
    """What is missing for PDF reports, one item per library or font ("Pango (libpango-1.0-0)"); empty if all good.

    Only checked on Linux, where this project runs workshops; elsewhere WeasyPrint's
    own error on import is the check.
    """
    if not sys.platform.startswith("linux"):
        return []
    missing = [
        f"{name} ({package})" for name, library, package in PDF_LIBRARIES if ctypes.util.find_library(library) is None
    ]
    if not any((folder / "DejaVuSans.ttf").is_file() for folder in DEJAVU_FOLDERS):
        missing.append("DejaVu fonts (fonts-dejavu-core)")
    return missing


def install_hint(missing: list[str]) -> str:
    """One line telling the user what is missing and the command that installs it on Debian or Ubuntu."""
    return f"missing for PDF reports: {', '.join(missing)}; on Debian or Ubuntu run: {DEBIAN_INSTALL}"


if __name__ == "__main__":  # python -m cbectool.system: for bootstrap scripts
    problems = check_pdf_libraries()
    print(install_hint(problems) if problems else "PDF libraries: all present")
    sys.exit(1 if problems else 0)
