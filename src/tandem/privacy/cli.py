"""`tandem privacy ...`: build the model that finds passwords typed into messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tandem.core.commands import fail
from tandem.core.errors import TandemError
from tandem.privacy.code_model import MODEL_PATH as CODE_MODEL_PATH
from tandem.privacy.password_model import MODEL_PATH

privacy_app = typer.Typer(help="Redaction at the door.", no_args_is_help=True)

# Every labelled redaction set already run, which both models learn from; the newest (v16)
# stays blind (paths from the repository's root).
SPENT = (
    *(Path(f"benchmarks/data/redaction{suffix}/messages.jsonl") for suffix in ("", "_v2", "_v3")),
    *(Path(f"benchmarks/data/redaction_v{n}/messages.jsonl") for n in range(4, 16)),
)


@privacy_app.command("train-passwords")
def train_passwords(
    data: Annotated[
        list[Path] | None,
        typer.Option("--data", help="A labelled JSONL set (repeat); default: redaction to _v15."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Where to write the model.")] = MODEL_PATH,
) -> None:
    """Train the password model, print held-out figures per set, and write its weights."""
    from tandem.privacy.password_training import train

    try:
        model = train(data or list(SPENT), progress=typer.echo)
    except TandemError as error:
        raise fail(str(error)) from error
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    typer.echo(f"Wrote {out} (trained on {model.trained_on}).")


@privacy_app.command("train-codes")
def train_codes(
    data: Annotated[
        list[Path] | None,
        typer.Option("--data", help="A labelled JSONL set (repeat); default: redaction to _v15."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Where to write the model.")] = CODE_MODEL_PATH,
) -> None:
    """Train the code model, print held-out figures per set, and write its weights."""
    from tandem.privacy.code_training import train

    try:
        model = train(data or list(SPENT), progress=typer.echo)
    except TandemError as error:
        raise fail(str(error)) from error
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model.to_json()) + "\n", encoding="utf-8")
    typer.echo(f"Wrote {out} (trained on {model.trained_on}).")
