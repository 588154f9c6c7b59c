"""Load labelled intent examples from CSV or JSONL, with errors that name the line to fix.

A file holds one example per row: ``text`` (what a customer wrote) and ``intent`` (its label).
Examples labelled with the out-of-scope label (``oos`` unless configured) teach the model what
it must not answer. CSV files need a header row with ``text`` and ``intent`` columns (other
columns are ignored); JSONL files hold one JSON object per line with the same two keys.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_OOS_LABEL = "oos"
MIN_EXAMPLES_PER_INTENT = 3  # cross-validation needs each intent on both sides of a split
MAX_REPORTED_ERRORS = 20
_NOT_LABEL = re.compile(r"[^\w.:/-]+")
_SPACES = re.compile(r"\s+")


class DataError(ValueError):
    """Raised when a training or evaluation file cannot be used; the message lists each problem."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        shown = problems[:MAX_REPORTED_ERRORS]
        more = len(problems) - len(shown)
        lines = [f"{path}: {len(problems)} problem(s), nothing was used:", *shown]
        if more:
            lines.append(f"... and {more} more")
        super().__init__("\n  ".join(lines))
        self.path = path
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled customer message and the line it came from."""

    text: str
    intent: str
    line: int


@dataclass(frozen=True, slots=True)
class Dataset:
    """Labelled examples and the label that marks out-of-scope ones."""

    examples: tuple[Example, ...]
    oos_label: str = DEFAULT_OOS_LABEL

    @property
    def texts(self) -> list[str]:
        return [example.text for example in self.examples]

    @property
    def labels(self) -> list[str]:
        return [example.intent for example in self.examples]

    @property
    def intents(self) -> list[str]:
        """Return the in-scope intents, sorted."""
        return sorted({e.intent for e in self.examples} - {self.oos_label})

    @property
    def oos_count(self) -> int:
        return sum(example.intent == self.oos_label for example in self.examples)

    def counts(self) -> Counter[str]:
        return Counter(self.labels)

    def fingerprint(self) -> str:
        """Return a SHA-256 of the examples, so an artefact records exactly what it learnt."""
        digest = hashlib.sha256()
        for example in self.examples:
            digest.update(f"{example.intent}\t{example.text}\n".encode())
        return digest.hexdigest()


def normalise_label(raw: str) -> str:
    """An intent label as stored: lower case, other characters than letters, digits and
    ``_ . : / -`` turned into ``_`` ("Where is my order?" -> "where_is_my_order")."""
    folded = unicodedata.normalize("NFKC", raw).strip().lower()
    return _NOT_LABEL.sub("_", folded).strip("_")


def load_examples(path: Path, *, oos_label: str = DEFAULT_OOS_LABEL) -> Dataset:
    """Read and validate a training file; raise DataError listing every problem."""
    dataset, problems = _read(path, oos_label)
    problems = problems or check_trainable(dataset)
    if problems:
        raise DataError(path, problems)
    return dataset


def load_eval_examples(path: Path, *, oos_label: str = DEFAULT_OOS_LABEL) -> Dataset:
    """Read and validate an evaluation file: well-formed rows, any number per intent."""
    dataset, problems = _read(path, oos_label)
    if not problems and not dataset.examples:
        problems = ["no examples found"]
    if problems:
        raise DataError(path, problems)
    return dataset


def check_trainable(dataset: Dataset) -> list[str]:
    """Return what keeps a dataset from being trained on: too few intents or examples."""
    problems: list[str] = []
    intents = dataset.intents
    if len(intents) < 2:
        problems.append(
            f"only {len(intents)} in-scope intent(s) found; a model needs at least 2 "
            f"(out-of-scope examples are labelled {dataset.oos_label!r})"
        )
    for intent, count in sorted(dataset.counts().items()):
        if count < MIN_EXAMPLES_PER_INTENT:
            problems.append(
                f"intent {intent!r} has {count} example(s); give at least {MIN_EXAMPLES_PER_INTENT}"
            )
    return problems


def _read(path: Path, oos_label: str) -> tuple[Dataset, list[str]]:
    if not path.is_file():
        raise DataError(path, ["the file does not exist (give a .csv or .jsonl file)"])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        parse = _csv_rows
    elif suffix in {".jsonl", ".ndjson"}:
        parse = _jsonl_rows
    else:
        raise DataError(path, [f"unknown file type {suffix!r}: use .csv or .jsonl"])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError(path, [f"not UTF-8 text ({error.reason} at byte {error.start})"]) from None
    problems: list[str] = []
    examples = _validate_rows(parse(text, problems), problems)
    return Dataset(tuple(examples), oos_label=normalise_label(oos_label)), problems


def _csv_rows(text: str, problems: list[str]) -> Iterator[tuple[int, object, object]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in ("text", "intent") if name not in header]
    if missing:
        problems.append(
            f"line 1: the header needs columns 'text' and 'intent' (missing: {', '.join(missing)})"
        )
        return
    reader.fieldnames = header
    for row in reader:
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue  # a blank line
        yield reader.line_num, row.get("text"), row.get("intent")


def _jsonl_rows(text: str, problems: list[str]) -> Iterator[tuple[int, object, object]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not valid JSON ({error.msg})")
            continue
        if not isinstance(record, dict):
            problems.append(f"line {number}: expected an object with 'text' and 'intent'")
            continue
        yield number, record.get("text"), record.get("intent")


def _validate_rows(
    rows: Iterable[tuple[int, object, object]], problems: list[str]
) -> list[Example]:
    examples: list[Example] = []
    first_label: dict[str, tuple[str, int]] = {}
    for number, raw_text, raw_intent in rows:
        text = _SPACES.sub(" ", raw_text).strip() if isinstance(raw_text, str) else ""
        intent = normalise_label(raw_intent) if isinstance(raw_intent, str) else ""
        if not text:
            problems.append(f"line {number}: 'text' is missing or empty")
            continue
        if not intent:
            problems.append(f"line {number}: 'intent' is missing or empty")
            continue
        key = text.casefold()
        seen = first_label.setdefault(key, (intent, number))
        if seen[0] != intent:
            problems.append(
                f"line {number}: the same text is labelled {seen[0]!r} on line {seen[1]} "
                f"and {intent!r} here"
            )
            continue
        examples.append(Example(text=text, intent=intent, line=number))
    return examples
