"""Every error a user can cause, with the exit code the CLI turns it into.

One base class, one place that prints it (``cli.ErrorBoundaryGroup``): commands
and the core raise, they never print and exit themselves.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented process exit codes (see README, "Exit codes")."""

    OK = 0
    INTERNAL = 1  # a bug: re-run with --debug and report it
    USER = 2  # bad input: a file, an option or an answer; nothing was changed
    ROWS_FAILED = 3  # batch finished, but some rows or reports were rejected
    INTERRUPTED = 130  # Ctrl-C; drafts already saved stay saved


class CbecError(Exception):
    """A problem the user can fix; its message is one plain line."""

    exit_code: ExitCode = ExitCode.USER


class QuestionnaireError(CbecError):
    """A questionnaire file that cannot be used, located by file, line and path."""

    def __init__(self, source: str, message: str, *, line: int | None = None, path: str = "") -> None:
        self.source = source
        self.line = line
        self.path = path
        self.detail = message
        where = f"{source}:{line}" if line is not None else source
        located = f"{path}: {message}" if path else message
        super().__init__(f"{where}: {located}")


class ResponseError(CbecError):
    """Answers that do not fit their questionnaire; one line per problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        # one line per problem: a line break inside one (a key or value from the file) is shown escaped
        super().__init__("\n".join(f"{source}: {problem}".replace("\n", "\\n") for problem in problems))


class NotFoundError(CbecError):
    """A named questionnaire, file or template that does not exist."""


class MissingSystemLibraryError(CbecError):
    """WeasyPrint's system libraries (Pango) are not installed."""
