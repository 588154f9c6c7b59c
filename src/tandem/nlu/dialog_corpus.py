"""Corpus examples from labelled conversations: every customer message of a routine one.

A conversation labelled routine (it never needed a person) says of each of its customer
messages that no signal that hands off is there: no request for a person, no emotion, no
sensitive topic, no adverse request. It leaves open what hands nothing off (small talk, an
order problem, "that didn't help"); those labels are proposed by the heads given, so that the
examples do not teach those heads that a greeting is not small talk. Written as one
``<lang>-dialogs.jsonl`` per language into the corpus folder, for review like any corpus file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tandem.nlu.heads import Heads, Signal, prepare
from tandem.nlu.heads_training import DIALOGS_SUFFIX, CorpusError, Example
from tandem.nlu.language import SUPPORTED
from tandem.nlu.reading import Reader

# What a routine conversation does not rule out; the heads propose these.
OPEN_SIGNALS = (Signal.SMALL_TALK, Signal.ORDER_PROBLEM, Signal.NOT_HELPED)


class LabelledDialog(BaseModel):
    """The fields of a labelled dialog (``tandem eval dialogs``) that training reads."""

    model_config = ConfigDict(extra="ignore")

    id: str = ""
    turns: list[str] = Field(min_length=1)
    expect_human: bool | None = None
    by_turn: int | None = Field(default=None, ge=1)
    category: str | None = None
    lang: str | None = None


def dialog_files(path: Path) -> list[Path]:
    """Return a dialogs file, or every ``*.jsonl`` of a folder of them (one per language)."""
    return sorted(path.glob("*.jsonl")) if path.is_dir() else [path]


def read_dialogs(path: Path) -> list[LabelledDialog]:
    """Read one JSONL file of labelled dialogs; a bad line names the file and line."""
    dialogs: list[LabelledDialog] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            dialogs.append(LabelledDialog.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as error:
            raise CorpusError(f"{path}:{number}: not a labelled dialog: {error}") from error
    return dialogs


def routine_messages(files: Iterable[Path]) -> dict[str, list[str]]:
    """Return the customer messages of routine dialogs by language, each text once.

    A file named after a language (``de.jsonl``) gives the language of dialogs that do not
    say theirs.
    """
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    for path in files:
        for dialog in read_dialogs(path):
            language = dialog.lang or path.stem
            if dialog.expect_human is not False or language not in SUPPORTED:
                continue
            for text in (t.strip() for t in dialog.turns):
                if text and text.casefold() not in seen:
                    seen.add(text.casefold())
                    found.setdefault(language, []).append(text)
    return found


def _open_labels(heads: Heads, reader: Reader, texts: Sequence[str]) -> list[tuple[Signal, ...]]:
    probabilities = heads.probabilities(reader.message_encoder.encode([prepare(t) for t in texts]))
    columns = [(heads.labels.index(s), s) for s in OPEN_SIGNALS if s in heads.labels]
    return [
        tuple(s for column, s in columns if row[column] >= heads.threshold(s))
        for row in probabilities
    ]


def routine_examples(files: Iterable[Path], reader: Reader) -> list[Example]:
    """Return the routine dialogs' customer messages as examples, open labels proposed."""
    examples: list[Example] = []
    for language, texts in sorted(routine_messages(files).items()):
        for text, labels in zip(texts, _open_labels(reader.heads, reader, texts), strict=True):
            examples.append(Example(text=text, lang=language, labels=labels, dialog=True))
    return examples


def write_examples(examples: Sequence[Example], corpus: Path) -> dict[str, int]:
    """Write one ``<lang>-dialogs.jsonl`` per language into ``corpus``; return the counts."""
    by_language: dict[str, list[Example]] = {}
    for example in examples:
        by_language.setdefault(example.lang, []).append(example)
    for language, chosen in by_language.items():
        lines = [
            json.dumps(
                {"text": e.text, "lang": e.lang, "labels": [s.value for s in e.labels]},
                ensure_ascii=False,
            )
            for e in chosen
        ]
        (corpus / f"{language}{DIALOGS_SUFFIX}").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    return {language: len(chosen) for language, chosen in sorted(by_language.items())}
