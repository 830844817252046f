"""The ``cbectool`` command line: a thin layer that parses options, calls the core and prints.

``ErrorBoundaryGroup`` is the one place where errors become a one-line message
on stderr and an exit code (``errors.ExitCode``); ``--debug`` shows the traceback.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Annotated, Any

import typer

from cbectool import __version__
from cbectool.commands import assess as assess_commands
from cbectool.commands import cohort as cohort_commands
from cbectool.commands import questionnaire as questionnaire_commands
from cbectool.commands import report as report_commands
from cbectool.commands import score as score_commands
from cbectool.commands import serve as serve_commands
from cbectool.commands.help_format import HelpCommand, HelpGroup
from cbectool.errors import CbecError, ExitCode
from cbectool.notices import printable


class ErrorBoundaryGroup(HelpGroup):
    """Turns every error raised below it into a message and a documented exit code."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except CbecError as error:
            _report(ctx, error, str(error), error.exit_code)
        except KeyboardInterrupt as error:
            _report(ctx, error, "Interrupted. Nothing already saved was lost.", ExitCode.INTERRUPTED)
        except Exception as error:  # the last resort: a bug, never a user's mistake
            message = (
                f"Internal error ({type(error).__name__}: {error}). "
                "This is a bug in cbectool: re-run with --debug and report what it prints."
            )
            _report(ctx, error, message, ExitCode.INTERNAL)


def _report(ctx: typer.Context, error: BaseException, message: str, code: ExitCode) -> None:
    if _debug_enabled(ctx):
        traceback.print_exception(error, file=sys.stderr)
    for line in message.split("\n"):  # a message's own lines; anything else that would break one is escaped
        typer.echo(f"Error: {printable(line)}", err=True)
    raise typer.Exit(int(code))


def _debug_enabled(ctx: typer.Context) -> bool:
    root = ctx.find_root()
    return bool(root.meta.get("cbectool.debug")) or os.environ.get("CBECTOOL_DEBUG", "") not in ("", "0")


app = typer.Typer(
    cls=ErrorBoundaryGroup,
    name="cbectool",
    help=(
        "How ready is your business to export through cross-border e-commerce, and what to do next.\n\n"
        "Start with:  cbectool assess"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"cbectool {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback when something fails.")] = False,
) -> None:
    ctx.meta["cbectool.debug"] = debug


# The owner's command first: the order here is the order of `cbectool --help`.
app.command(name="assess", cls=HelpCommand)(assess_commands.assess)
app.command(name="report", cls=HelpCommand)(report_commands.report)
app.command(name="score", cls=HelpCommand)(score_commands.score)
app.command(name="template", cls=HelpCommand)(cohort_commands.template)
app.command(name="batch", cls=HelpCommand)(cohort_commands.batch)
app.command(name="batch-merge", cls=HelpCommand)(cohort_commands.batch_merge)
app.command(name="serve", cls=HelpCommand)(serve_commands.serve)
app.add_typer(questionnaire_commands.app, name="questionnaire")


def main() -> None:
    """Console-script entry point."""
    app()
