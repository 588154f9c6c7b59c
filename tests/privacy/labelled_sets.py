"""Write small labelled redaction sets (the JSONL of ``benchmarks/data/redaction_v2/``) for the
tests that train the learned readers."""

from __future__ import annotations

import json
from pathlib import Path


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
