"""Small model files kept as JSON beside the checksum of their body, so an altered one is refused.

The file holds ``{"sha256": ..., "<key>": body}``; the checksum is of the body as written with
sorted keys. The answer model, the follow-up model and the emotion gate are kept this way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class SealBrokenError(ValueError):
    """The body of a sealed file does not match its checksum."""


def _digest(body: Mapping[str, Any], indent: int | None) -> str:
    return hashlib.sha256(json.dumps(body, indent=indent, sort_keys=True).encode()).hexdigest()


def write_sealed(
    path: Path,
    body: Mapping[str, Any],
    *,
    key: str = "model",
    indent: int | None = None,
    newline: bool = True,
) -> str:
    """Write ``body`` under ``key`` with its checksum; return the checksum."""
    digest = _digest(body, indent)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"sha256": digest, key: body}, indent=indent, sort_keys=True)
    path.write_text(text + ("\n" if newline else ""))
    return digest


def read_sealed(path: Path, *, key: str = "model", indent: int | None = None) -> dict[str, Any]:
    """Return the body of a sealed file.

    Raises ``OSError`` or ``ValueError`` (``json.JSONDecodeError``) for an unreadable file,
    ``KeyError`` or ``TypeError`` for one of another shape, and ``SealBrokenError`` when the
    body does not match its checksum.
    """
    wrapper = json.loads(path.read_text(encoding="utf-8"))
    body = wrapper[key]
    if not isinstance(body, dict):
        raise TypeError(f"{key} is not an object")
    if _digest(body, indent) != wrapper.get("sha256"):
        raise SealBrokenError(f"{path} does not match its checksum")
    return body
