"""``--help`` that reads like a well-kept click tool: ``--resume`` without ``<bool>``, ``report FILE``.

Typer's own help shows each parameter's Python type (``<bool>``, ``<path>``,
``<list[Path]>``) and a required argument in braces (``{RESPONSE}``). Here a flag
shows no type, an option or argument shows its metavar (``FILE``, ``DIR...``,
``CODE``), and the usage line is ``cbectool report [OPTIONS] FILE``. Every command
and group takes ``cls=HelpCommand`` or ``cls=HelpGroup`` (tests/test_help.py checks
every command's help).
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

VARIADIC = "..."


class _PlainArgument(TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the metavar in the name column (FILE, DIR...) says what it takes

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        name = self.metavar or self.name.upper()
        if self.nargs != 1 and not name.endswith(VARIADIC):
            name += VARIADIC
        return [name if self.required else f"[{name}]"]


class _PlainOption(TyperOption):
    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag:
            return None
        return self.metavar or self.name.upper()


def _plain(params: list[Any]) -> list[Any]:
    """Typer builds the parameters itself, with no hook for their class: they become these subclasses,
    which change only how a parameter is shown (help and usage), never how it is parsed."""
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = _PlainArgument
        elif type(param) is TyperOption:
            param.__class__ = _PlainOption
    return params


class HelpCommand(TyperCommand):
    """A command whose help shows metavars, never Python types."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain(super().get_params(ctx))


class HelpGroup(TyperGroup):
    """A group whose help shows metavars, never Python types (commands are listed in the order they are added)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain(super().get_params(ctx))
