"""`tandem privacy ...`: build the model that finds passwords typed into messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tandem.core.commands import fail
from tandem.core.errors import TandemError
from tandem.privacy.password_model import MODEL_PATH

privacy_app = typer.Typer(help="Redaction at the door.", no_args_is_help=True)

# The labelled redaction sets whose messages have been studied (run from the repository's root).
STUDIED = (
    Path("benchmarks/data/redaction/messages.jsonl"),
    Path("benchmarks/data/redaction_v2/messages.jsonl"),
    Path("benchmarks/data/redaction_v3/messages.jsonl"),
)


@privacy_app.command("train-passwords")
def train_passwords(
    data: Annotated[
        list[Path] | None,
        typer.Option("--data", help="A labelled JSONL set (repeat); default: the studied sets."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Where to write the model.")] = MODEL_PATH,
) -> None:
    """Train the password model, print held-out figures per set, and write its weights."""
    from tandem.privacy.password_training import train

    try:
        model = train(data or list(STUDIED), progress=typer.echo)
    except TandemError as error:
        raise fail(str(error)) from error
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    typer.echo(f"Wrote {out} (trained on {model.trained_on}).")
