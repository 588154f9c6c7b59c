"""How `tandem` commands of every domain report a failure."""

from __future__ import annotations

import typer


def fail(message: str) -> typer.Exit:
    """Print ``message`` in red on stderr; return the exit to raise (status 1)."""
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)
