"""`tandem nlu train-signals` and `tandem nlu read`: build and try the understanding models."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated

import typer

from tandem.config import get_settings
from tandem.core.commands import fail
from tandem.nlu.dialog_corpus import (
    LabelledDialog,
    dialog_files,
    read_dialogs,
    routine_examples,
    write_examples,
)
from tandem.nlu.emotion_gate import GATE_FILE, heads_fingerprint, save_gate
from tandem.nlu.emotion_gate_training import train_gate
from tandem.nlu.encoder import E5_ENCODER, EncoderNotFoundError, load_encoder
from tandem.nlu.encoding_store import DEFAULT_FOLDER, StoredEncoder
from tandem.nlu.heads import COMPANION, PARTS, SHIPPED, ArtefactError, save_heads
from tandem.nlu.heads_training import (
    CORPUS,
    MEMBERS,
    CorpusError,
    NetworkSize,
    load_corpus,
    load_goemotions,
    train_heads,
)
from tandem.nlu.intents.cli import app
from tandem.nlu.reading import load_reader

__all__ = ["app"]

GOEMOTIONS = Path(__file__).resolve().parents[3].parent / "shared" / "datasets" / "goemotions"


@app.command("train-signals")
def train_signals_command(
    corpus: Annotated[Path, typer.Option(help="Folder of labelled *.jsonl files.")] = CORPUS,
    out: Annotated[Path, typer.Option(help="Where to write the heads.")] = SHIPPED,
    goemotions: Annotated[
        Path | None,
        typer.Option(help="GoEmotions folder (train.tsv, emotions.txt) for the tone head."),
    ] = None,
    encoder: Annotated[
        str | None,
        typer.Option(help="Encoder of the parts of messages. Default: $TANDEM_ENCODER."),
    ] = None,
    message_encoder: Annotated[
        str | None,
        typer.Option(
            help="Encoder of whole messages (a name, a folder, or two joined by +, such as "
            "multilingual-e5-small+use-multilingual-v3). Default: the encoder of the parts."
        ),
    ] = None,
    companion_encoder: Annotated[
        str,
        typer.Option(
            help="Encoder of a second set of message heads whose scores are blended with the "
            "first's ('none': no second set)."
        ),
    ] = E5_ENCODER,
    encodings: Annotated[
        str,
        typer.Option(
            help="Folder where the corpus's vectors are kept between trainings, so a retrain "
            "encodes only new text ('none': keep nothing)."
        ),
    ] = str(DEFAULT_FOLDER),
    seed: int = 0,
    members: Annotated[
        int,
        typer.Option(
            min=1,
            help="Networks trained from seeds seed, seed+1, ... whose scores are averaged.",
        ),
    ] = MEMBERS,
) -> None:
    """Train the signal heads (the shipped ones are built by this command with its defaults)."""
    try:
        examples = load_corpus(corpus)
        parts_model = load_encoder(encoder or get_settings().encoder)
        whole_model = load_encoder(message_encoder) if message_encoder else parts_model
        second = None if companion_encoder == "none" else load_encoder(companion_encoder)
    except (CorpusError, EncoderNotFoundError) as error:
        raise fail(str(error)) from error
    if encodings != "none":
        stored_parts = StoredEncoder(parts_model, Path(encodings))
        whole_model = (
            stored_parts
            if whole_model is parts_model
            else StoredEncoder(whole_model, Path(encodings))
        )
        parts_model = stored_parts
        second = None if second is None else StoredEncoder(second, Path(encodings))
    folder = goemotions or (GOEMOTIONS if GOEMOTIONS.is_dir() else None)
    comments = load_goemotions(folder, seed=seed) if folder else []
    if folder is None:
        typer.echo("GoEmotions not found: the tone head is left out (pass --goemotions).")
    # One set reads whole messages, a companion set reads them through a second encoder, and
    # another, which also learns the parts of routine messages, reads their sentences and
    # clauses.
    sets = [(False, whole_model, out), (True, parts_model, out / PARTS)]
    if second is not None:
        sets.insert(1, (False, second, out / COMPANION))
    elif (out / COMPANION).is_dir():
        shutil.rmtree(out / COMPANION)  # a reader would blend in heads of another training
    for clauses, model, where in sets:
        what = "parts of messages" if clauses else f"messages through {model.name}"
        typer.echo(f"\nheads that read {what}:")
        heads, reports = train_heads(
            examples,
            model,
            goemotions=comments,
            seed=seed,
            size=NetworkSize(members=members),
            clauses=clauses,
            progress=typer.echo,
        )
        save_heads(heads, where)
        typer.echo(
            f"\n{'signal':<16} {'positives':>9} {'precision':>9} {'recall':>7} {'fires at':>8}"
        )
        for r in reports:
            typer.echo(
                f"{r.signal.value:<16} {r.positives:>9} {r.precision:>9.2f} {r.recall:>7.2f} "
                f"{r.threshold:>8.2f}"
            )
    typer.echo(f"(cross-validated on the corpus) heads written to {out}")
    if (out / GATE_FILE).exists():
        (out / GATE_FILE).unlink()  # it reads the scores of the heads just replaced
        typer.echo("The emotion gate read the old heads: rebuild it with train-emotion-gate.")


@app.command("train-emotion-gate")
def train_emotion_gate_command(
    dialogs: Annotated[
        list[Path],
        typer.Argument(
            help="Labelled dialog sets: folders of JSONL files (one set each) or JSONL files."
        ),
    ],
    heads: Annotated[
        Path, typer.Option(help="The heads folder the gate reads and is written into.")
    ] = SHIPPED,
) -> None:
    """Train the emotion gate: which feelings the heads read need a person.

    The shipped gate is built with the development sets named in the README; the sets used
    for evaluation must never be given here.
    """
    sets = _dialog_sets(dialogs)
    try:
        reader = load_reader(get_settings().encoder, heads, gate=False)
        gate, report = train_gate(sets, reader, heads=heads_fingerprint(heads), progress=typer.echo)
    except (ArtefactError, EncoderNotFoundError, CorpusError) as error:
        raise fail(str(error)) from error
    digest = save_gate(gate, heads)
    typer.echo(
        f"held out by set, at {report.threshold:.2f}: {report.feelings_passed} of "
        f"{report.feelings} conversations that needed a person for their feelings let through, "
        f"{report.routine_passed} of {report.routine} routine ones with a feeling found still "
        f"handed off"
    )
    typer.echo(f"gate written to {heads / GATE_FILE} (sha256 {digest[:12]})")


def _dialog_sets(dialogs: list[Path]) -> list[tuple[str, list[LabelledDialog]]]:
    missing = [str(d) for d in dialogs if not d.exists()]
    if missing:
        raise fail(f"no dialog sets at: {', '.join(missing)}")
    try:
        return [(d.name, [x for f in dialog_files(d) for x in read_dialogs(f)]) for d in dialogs]
    except CorpusError as error:
        raise fail(str(error)) from error


@app.command("corpus-from-dialogs")
def corpus_from_dialogs_command(
    dialogs: Annotated[
        list[Path],
        typer.Argument(
            help="Labelled dialog files (JSONL, as `tandem eval dialogs` reads), or "
            "folders of them."
        ),
    ],
    corpus: Annotated[Path, typer.Option(help="The corpus folder to write into.")] = CORPUS,
) -> None:
    """Write the customer messages of routine labelled dialogs as corpus files.

    Each routine conversation's messages carry none of the signals that hand off; small talk,
    order problems and "that didn't help" are proposed by the shipped heads. One
    ``<lang>-dialogs.jsonl`` per language is (re)written, to review before training.
    """
    files = [f for d in dialogs for f in dialog_files(d)]
    missing = [str(f) for f in files if not f.is_file()]
    if missing or not files:
        raise fail(f"no dialog files at: {', '.join(missing or map(str, dialogs))}")
    settings = get_settings()
    try:
        reader = load_reader(settings.encoder, settings.signal_heads_dir or SHIPPED)
        counts = write_examples(routine_examples(files, reader), corpus)
    except (ArtefactError, EncoderNotFoundError, CorpusError) as error:
        raise fail(str(error)) from error
    total = sum(counts.values())
    typer.echo(f"{total} routine messages written to {corpus}: {counts}")


@app.command("read")
def read_command(
    text: Annotated[str, typer.Argument(help="A customer message.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show how the understanding models read one message."""
    settings = get_settings()
    try:
        reader = load_reader(settings.encoder, settings.signal_heads_dir or SHIPPED)
    except (ArtefactError, EncoderNotFoundError) as error:
        raise fail(str(error)) from error
    reading = reader.read(text)
    result = {
        "language": reading.language.code,
        "fired": {
            f.signal.value: {"score": f.score, "evidence": f.evidence} for f in reading.findings
        },
        "small_talk": reading.small_talk,
        "load": reading.load,
        "feeling_needs_person": reading.feeling_needs_person,
        "feeling_hands_off": reading.negative_emotion is not None,
        "scores": {s.value: v for s, v in reading.scores.items()},
    }
    typer.echo(json.dumps(result, ensure_ascii=False, indent=None if as_json else 2))
