"""Write small labelled redaction sets (the JSONL of ``benchmarks/data/redaction_v2/``) for the
tests that train the learned readers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def write_set(path: Path, rows: list[tuple[str, str | None, str]]) -> Path:
    """Write rows of (text, secret or None, kind of the secret) to path; return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for number, (text, secret, kind) in enumerate(rows):
        spans = []
        if secret is not None:
            start = text.index(secret)
            spans.append({"start": start, "end": start + len(secret), "kind": kind})
        lines.append(json.dumps({"id": f"m{number}", "lang": "en", "text": text, "spans": spans}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def train_holding_out_each(train: Callable[..., T], first: Path, second: Path) -> T:
    """Train on two sets named a and b; check that each was held out in turn, in order."""
    said: list[str] = []
    model = train([first, second], progress=said.append)
    assert [line.split(":")[0] for line in said] == ["held out a", "held out b"]
    return model
