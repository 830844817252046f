"""``cbectool serve``: workshop mode, where owners answer on their phones and the laptop does the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cbectool.commands.options import QuestionnaireOption
from cbectool.errors import ExitCode
from cbectool.render.console import stdout


def serve(
    cohort: Annotated[
        Path | None,
        typer.Option(
            "--cohort",
            metavar="DIR",
            help="Folder for the answers and reports (default: ~/cbectool/workshops/TODAY). "
            "Start again with the same folder to go on.",
        ),
    ] = None,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            metavar="HOST",
            help="Address to listen on. The default, 127.0.0.1, is this computer only; "
            "0.0.0.0 lets phones on the same Wi-Fi or hotspot join.",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", min=0, max=65535, help="Port to listen on.")] = 8000,
    questionnaire_reference: QuestionnaireOption = None,
) -> None:
    """Run a workshop: owners answer on their phones, in Urdu or English; the trainer watches and prints.

    Prints the participants' address (with a QR code) and the trainer's page with a one-time PIN.
    Every answer is saved at once in the cohort folder, in the same files assess writes.
    Ctrl-C stops the server and loses nothing.

    Example: cbectool serve --host 0.0.0.0 --cohort sialkot-2026-11
    """
    from cbectool.web import server  # the web stack loads here, not at `cbectool --help`

    options = server.ServeOptions(cohort=cohort, host=host, port=port, questionnaire=questionnaire_reference)
    code = server.run(options, stdout())
    if code != ExitCode.OK:
        raise typer.Exit(int(code))
