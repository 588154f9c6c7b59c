"""How `tandem` commands of every domain report a failure."""

from __future__ import annotations

import typer
from pydantic import ValidationError


def fail(message: str) -> typer.Exit:
    """Print ``message`` in red on stderr; return the exit to raise (status 1)."""
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


def settings_problem(error: ValidationError) -> str:
    """The settings' own explanations, without pydantic's decoration."""
    return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())
