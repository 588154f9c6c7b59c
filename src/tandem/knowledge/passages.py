"""Split a Markdown article into passages the bot can quote on their own."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tandem.knowledge.quality.instructions import without_model_instructions

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")  # an image's alt text is no passage text
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
MAX_PASSAGE_CHARS = 900


@dataclass(frozen=True, slots=True)
class Passage:
    """A self-contained piece of an article: one paragraph, or a lead-in with its list."""

    slug: str
    title: str
    heading: str | None
    text: str
    position: int


def plain_text(markdown: str) -> str:
    """Strip inline Markdown (links keep their text) and fold whitespace."""
    text = _LINK.sub(r"\1", _IMAGE.sub("", markdown))
    text = _EMPHASIS.sub(r"\2", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _blocks(body: str) -> list[tuple[str | None, str]]:
    """Return (heading, block) pairs; a block is a run of non-blank lines."""
    heading: str | None = None
    blocks: list[tuple[str | None, str]] = []
    current: list[str] = []

    def close() -> None:
        if current:
            blocks.append((heading, "\n".join(current)))
            current.clear()

    for line in body.splitlines():
        match = _HEADING.match(line)
        if match:
            close()
            heading = plain_text(match.group(2))
        elif line.strip():
            current.append(line.rstrip())
        else:
            close()
    close()
    return blocks


def _render(block: str) -> str:
    lines = [plain_text(_LIST_ITEM.sub("• ", line, count=1)) for line in block.splitlines()]
    return "\n".join(line for line in lines if line)


def split_passages(*, slug: str, title: str, body: str) -> list[Passage]:
    """Split an article body into passages, joining a lead-in ending in ':' with its list.

    Lines addressed to a language model are no knowledge: no passage holds them (the
    knowledge audit reports them).
    """
    body = without_model_instructions(body)
    passages: list[Passage] = []
    pending: tuple[str | None, str] | None = None
    for heading, block in _blocks(body):
        text = _render(block)
        is_list = all(_LIST_ITEM.match(line) for line in block.splitlines())
        if pending and is_list and pending[0] == heading:
            text = f"{pending[1]}\n{text}"
            pending = None
        elif pending:
            passages.append(_make(slug, title, pending[0], pending[1], len(passages)))
            pending = None
        if text.endswith(":") and not is_list:
            pending = (heading, text)
            continue
        passages.append(_make(slug, title, heading, text, len(passages)))
    if pending:
        passages.append(_make(slug, title, pending[0], pending[1], len(passages)))
    return passages


def _make(slug: str, title: str, heading: str | None, text: str, position: int) -> Passage:
    if len(text) > MAX_PASSAGE_CHARS:
        cut = text.rfind(" ", 0, MAX_PASSAGE_CHARS)
        text = text[: cut if cut > 0 else MAX_PASSAGE_CHARS].rstrip() + " …"
    return Passage(slug=slug, title=title, heading=heading, text=text, position=position)
