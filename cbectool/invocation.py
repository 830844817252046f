"""How the user started cbectool, so that every hint names a command that works where they are.

A hint such as ``To continue, run: cbectool assess --resume FILE`` is useless when
``cbectool`` is not on the PATH (started through ``./run`` or ``.venv/bin/cbectool``).
``./run`` says how it was started in ``CBECTOOL_INVOKED_AS``; otherwise the program
looks at its own start: a console script, or ``python -m cbectool``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

INVOKED_AS = "CBECTOOL_INVOKED_AS"
"""Set by ``./run`` to the words that start cbectool, for example ``./run cbectool``."""

PLAIN = "cbectool"


def command_name(
    environ: Mapping[str, str] | None = None,
    argv0: str | None = None,
    executable: str | None = None,
) -> str:
    """The words that start this cbectool in the user's shell: ``cbectool`` when the one on the PATH is this one.

    The arguments default to this process's environment, ``sys.argv[0]`` and ``sys.executable``.
    """
    environ = os.environ if environ is None else environ
    argv0 = sys.argv[0] if argv0 is None else argv0
    executable = sys.executable if executable is None else executable
    told = environ.get(INVOKED_AS, "").strip()
    if told:
        return told
    started = Path(argv0)
    on_path = shutil.which(PLAIN, path=environ.get("PATH"))
    if started.name == "__main__.py" and started.parent.name == PLAIN:  # python -m cbectool
        if on_path is not None and _same_folder(Path(on_path).resolve().parent, Path(executable).parent):
            return PLAIN
        return shlex.join([executable, "-m", PLAIN])
    if started.stem != PLAIN:  # not started as cbectool at all (a test runner): the usual name
        return PLAIN
    if os.sep not in argv0 and (os.altsep is None or os.altsep not in argv0):
        return PLAIN  # typed as plain `cbectool`: found on the PATH
    if on_path is not None and _same_file(Path(on_path), started):
        return PLAIN
    return shlex.quote(argv0)


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:
        return False


def _same_folder(first: Path, second: Path) -> bool:
    return _same_file(first, second.absolute())
