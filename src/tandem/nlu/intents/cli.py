"""`tandem nlu ...`: train, evaluate and try a company's intent model."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from tandem.config import get_settings
from tandem.core.commands import fail
from tandem.nlu.intents.artefact import ArtefactError, load_model, save_model
from tandem.nlu.intents.data import DEFAULT_OOS_LABEL, DataError, load_eval_examples, load_examples
from tandem.nlu.intents.encoders import EncoderUnavailableError
from tandem.nlu.intents.evaluate import evaluate, render
from tandem.nlu.intents.training import DEFAULT_SEED, Mode, TrainingConfig, train

INTENTS_FOLDER = "intents"

app = typer.Typer(help="Intents: train and evaluate the company's own model.", no_args_is_help=True)

DataOption = Annotated[
    Path, typer.Option("--data", help="CSV or JSONL file with 'text' and 'intent' columns.")
]
ModelOption = Annotated[
    Path | None,
    typer.Option(help="Model folder. Default: $TANDEM_MODEL_DIR/intents (./models/intents)."),
]


def default_model_folder() -> Path:
    """Return where models are saved and loaded unless a command says otherwise."""
    return get_settings().model_dir / INTENTS_FOLDER


@app.command("train")
def train_command(
    data: DataOption,
    out: Annotated[
        Path | None, typer.Option(help="Folder to write the model to (default: see --help).")
    ] = None,
    oos_label: Annotated[
        str, typer.Option(help="The label of out-of-scope examples.")
    ] = DEFAULT_OOS_LABEL,
    mode: Annotated[
        str,
        typer.Option(
            help="auto: embeddings if the extra is installed; light: TF-IDF only; embeddings."
        ),
    ] = "auto",
    seed: Annotated[int, typer.Option(help="Seed for folds and solvers.")] = DEFAULT_SEED,
    fine_tune: Annotated[
        bool,
        typer.Option(
            help="Embeddings mode: also fine-tune the encoder when there are 20+ examples "
            "per label (more accurate, minutes on a CPU)."
        ),
    ] = True,
) -> None:
    """Train an intent model on labelled examples; thresholds are calibrated automatically."""
    if mode not in ("auto", "light", "embeddings"):
        raise fail(f"--mode must be auto, light or embeddings, not {mode!r}.")
    folder = out or default_model_folder()
    started = time.perf_counter()

    def progress(step: str) -> None:
        typer.echo(f"[{time.perf_counter() - started:6.1f}s] {step}")

    try:
        dataset = load_examples(data, oos_label=oos_label)
        checked_mode: Mode = mode  # type: ignore[assignment]  # checked above
        model = train(
            dataset,
            config=TrainingConfig(seed=seed, fine_tune=fine_tune),
            mode=checked_mode,
            progress=progress,
        )
    except (DataError, EncoderUnavailableError) as error:
        raise fail(str(error)) from error
    save_model(model, folder)
    typer.echo(f"Saved the {model.mode} model ({len(model.intents)} intents) to {folder}.")


@app.command("eval")
def eval_command(
    data: DataOption,
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Evaluate the trained model on labelled examples it was not trained on."""
    folder = model or default_model_folder()
    try:
        started = time.perf_counter()
        loaded = load_model(folder)
        load_seconds = time.perf_counter() - started
        dataset = load_eval_examples(data, oos_label=loaded.oos_label)
    except (ArtefactError, DataError) as error:
        raise fail(str(error)) from error
    evaluation = evaluate(loaded, dataset, load_seconds=load_seconds)
    if as_json:
        typer.echo(json.dumps(evaluation.as_json()))
    else:
        typer.echo(render(evaluation))


@app.command("predict")
def predict_command(
    text: Annotated[str, typer.Argument(help="A customer message.")],
    model: ModelOption = None,
) -> None:
    """Show what the trained model makes of one message, and why."""
    try:
        loaded = load_model(model or default_model_folder())
    except ArtefactError as error:
        raise fail(str(error)) from error
    prediction = loaded.predict(text)
    typer.echo(f"{prediction.intent or 'out of scope'}: {prediction.reason}")
    for intent, probability in prediction.alternatives:
        typer.echo(f"  also {intent} ({probability:.2f})")
