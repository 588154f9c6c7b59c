"""What customers read, in their language: keyed texts per language in ``locales/*.yaml``.

English is the reference: every other catalogue has the same keys and placeholders (checked
when a catalogue is first read), and a language without a catalogue reads English.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache
from pathlib import Path

import yaml

LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "en"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")


class CatalogueError(ValueError):
    """Raised when a catalogue lacks a key or a placeholder of the English one."""


def available() -> frozenset[str]:
    """Return the languages that have a catalogue."""
    return frozenset(p.stem for p in LOCALES.glob("*.yaml"))


def _read(language: str) -> dict[str, str]:
    raw = yaml.safe_load((LOCALES / f"{language}.yaml").read_text(encoding="utf-8"))
    return {str(key): str(value) for key, value in raw.items()}


@cache
def catalogue(language: str) -> dict[str, str]:
    """Return the texts of ``language``, checked against English."""
    reference = _read(DEFAULT_LANGUAGE)
    if language == DEFAULT_LANGUAGE:
        return reference
    texts = _read(language)
    for key, english in reference.items():
        if key not in texts:
            raise CatalogueError(f"locales/{language}.yaml lacks {key!r}; copy it from en.yaml")
        if set(_PLACEHOLDER.findall(texts[key])) != set(_PLACEHOLDER.findall(english)):
            raise CatalogueError(
                f"locales/{language}.yaml: {key!r} must use the placeholders of en.yaml"
            )
    return texts


def language_or_default(language: str | None) -> str:
    """Return ``language`` when it has a catalogue, else English."""
    return language if language is not None and language in available() else DEFAULT_LANGUAGE


def text(key: str, language: str | None = None, **values: object) -> str:
    """Return the text ``key`` in ``language`` (English when it has no catalogue), filled in."""
    return catalogue(language_or_default(language))[key].format(**values)


def primary(tag: str | None, among: Collection[str]) -> str | None:
    """Return the language of ``among`` that a language tag names ("de-AT" is "de"), or None."""
    if not tag or not _TAG.match(tag):
        return None
    language = re.split(r"[-_]", tag, maxsplit=1)[0].lower()
    return language if language in among else None


def negotiate(accept_language: str | None, among: Collection[str]) -> str | None:
    """Return the language of ``among`` a browser prefers most (``Accept-Language``), or None."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > 0:
            ranked.append((-weight, position, tag.strip()))
    for _weight, _position, tag in sorted(ranked):
        found = primary(tag, among)
        if found is not None:
            return found
    return None
