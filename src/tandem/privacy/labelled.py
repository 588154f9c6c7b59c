"""Labelled redaction sets (JSONL, the format of ``benchmarks/data/redaction_v2/``), read to
train and hold out the learned readers of passwords and one-time codes."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from tandem.core.errors import InvalidInputError
from tandem.privacy.redaction import SecretKind, find_secrets

Progress = Callable[[str], None]
Span = tuple[int, int]
ModelT = TypeVar("ModelT", covariant=True)
GatheredT = TypeVar("GatheredT", bound="_Gathered")


@dataclass(frozen=True)
class Message:
    id: str
    text: str
    secrets: tuple[Span, ...]  # of the kind being learnt
    others: tuple[Span, ...]  # of every other kind


def read_set(path: Path, kind: str = "password") -> list[Message]:
    """Read one labelled JSONL file, the spans of ``kind`` apart; name every bad line."""
    messages, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            spans = [(str(s["kind"]), int(s["start"]), int(s["end"])) for s in data["spans"]]
            messages.append(
                Message(
                    str(data["id"]),
                    str(data["text"]),
                    tuple((a, b) for labelled, a, b in spans if labelled == kind),
                    tuple((a, b) for labelled, a, b in spans if labelled != kind),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            problems.append(f"line {number}: {error!r}")
    if problems:
        raise InvalidInputError(f"{path} has problems:\n" + "\n".join(problems))
    return messages


def overlaps(span: Span, spans: Sequence[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def read_sets(paths: Sequence[Path], *, kind: str) -> list[tuple[str, list[Message]]]:
    """Read every set (named by its folder); at least two, so each can be held out."""
    if len(paths) < 2:
        raise InvalidInputError("give at least two labelled sets, so each can be held out")
    sets = []
    for path in paths:
        if not path.is_file():
            raise InvalidInputError(
                f"{path} does not exist; run the command from the repository's root or give --data"
            )
        sets.append((path.parent.name, read_set(path, kind)))
    return sets


def spans_above(
    rows: Sequence[tuple[int, Span]], probability: Sequence[float], threshold: float
) -> dict[int, list[Span]]:
    """The rows' spans the model scores at or above ``threshold``, per message index."""
    chosen: dict[int, list[Span]] = {}
    for (index, span), p in zip(rows, probability, strict=True):
        if p >= threshold:
            chosen.setdefault(index, []).append(span)
    return chosen


def held_out_line(
    name: str,
    messages: Sequence[Message],
    by_model: Mapping[int, Sequence[Span]],
    kind: SecretKind,
) -> str:
    """What the rules find of ``kind`` in a held-out set, what they find with the model's spans
    (``by_model``: per message index), and the messages where the model alone removes
    something unlabelled. A secret counts as found when one span covers it entirely, as
    ``benchmarks/redaction.py`` counts."""
    rules_found = both_found = total = false_messages = 0
    for index, message in enumerate(messages):
        redactions = find_secrets(message.text, learned=False)
        found = [(r.start, r.end) for r in redactions]
        ruled = [(r.start, r.end) for r in redactions if r.kind is kind]
        modelled = list(by_model.get(index, ()))
        for start, end in message.secrets:
            total += 1
            rules_found += any(a <= start and end <= b for a, b in ruled)
            both_found += any(a <= start and end <= b for a, b in ruled + modelled)
        labelled = message.secrets + message.others
        false_messages += any(not overlaps(s, labelled) for s in modelled if not overlaps(s, found))
    return (
        f"held out {name}: {kind.value}s found by the rules {rules_found}/{total}, "
        f"with the model {both_found}/{total}; messages the model alone redacts falsely "
        f"{false_messages}/{len(messages)}"
    )


class _Gathered(Protocol):
    name: str
    messages: list[Message]
    labels: NDArray[np.int64]


class _Fit(Protocol[ModelT]):
    def __call__(self, sets: Sequence[Any], *, trained_on: str = "") -> ModelT: ...


def hold_out_each_then_fit(
    sets: Sequence[GatheredT],
    fit: _Fit[ModelT],
    line: Callable[[GatheredT, ModelT], str],
    *,
    noun: str,
    progress: Progress,
) -> ModelT:
    """Hold out each set in turn (printing ``line`` for it), then fit on them all."""
    for held in sets:
        progress(line(held, fit([s for s in sets if s is not held])))
    summary = ", ".join(
        f"{s.name} ({len(s.messages)} messages, {int(s.labels.sum())} {noun})" for s in sets
    )
    return fit(sets, trained_on=summary)
