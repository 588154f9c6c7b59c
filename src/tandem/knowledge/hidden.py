"""Remove text a reader of the page never sees: HTML comments and hidden elements. Pure.

An article is knowledge for customers; text hidden from them (``<!-- -->``, ``display:none``,
``hidden``, zero-size or invisible styling) has no business reaching the bot, and is the usual
place to plant instructions for a language model. Markdown keeps everything else as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

from bs4 import BeautifulSoup, Comment, Tag

_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|"
    r"opacity\s*:\s*0(?![.\d]*[1-9])|(?<![-\w])(?:width|height)\s*:\s*0(?:px)?\s*(?:;|$)",
    re.IGNORECASE,
)
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)
_MAX_EXCERPT = 120
# Zero-width and soft-hyphen characters: invisible, and used to slip words past filters.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def _declarations(style: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return {name.strip().lower(): " ".join(value.lower().split()) for name, value in pairs}


def _camouflaged(style: str) -> bool:
    """Text coloured like its background, or transparent: there, but unreadable."""
    declared = _declarations(style)
    color = declared.get("color")
    background = declared.get("background-color") or declared.get("background")
    return color in ("transparent", "rgba(0,0,0,0)") or (
        color is not None and background is not None and color in background.split()
    )


def _is_hidden(attributes: Mapping[str, str | None]) -> bool:
    if "hidden" in attributes or (attributes.get("aria-hidden") or "").lower() == "true":
        return True
    style = attributes.get("style") or ""
    return bool(_HIDDEN_STYLE.search(style)) or _camouflaged(style)


@dataclass(frozen=True, slots=True)
class Visible:
    text: str
    removed: tuple[str, ...]  # short excerpts of what was taken out, for the import report


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_EXCERPT else flat[: _MAX_EXCERPT - 1] + "…"


class _Stripper(HTMLParser):
    """Re-emit the source as written, minus comments and hidden elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.kept: list[str] = []
        self.removed: list[str] = []
        self._hidden: list[str] = []  # open hidden elements, innermost last
        self._dropped: list[str] = []

    def _emit(self, raw: str) -> None:
        (self._dropped if self._hidden else self.kept).append(raw)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if tag in _VOID:
            self._emit(raw)
            return
        if self._hidden:
            self._hidden.append(tag)
            self._dropped.append(raw)
            return
        if _is_hidden({k.lower(): v for k, v in attrs}):
            self._hidden.append(tag)
            self._dropped = []
            return
        self.kept.append(raw)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._emit(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if not self._hidden:
            self.kept.append(f"</{tag}>")
            return
        if tag in self._hidden:
            while self._hidden and self._hidden.pop() != tag:
                pass
            if not self._hidden:
                self._flush_dropped()
                return
        self._dropped.append(f"</{tag}>")

    def _flush_dropped(self) -> None:
        text = BeautifulSoup("".join(self._dropped), "html.parser").get_text(" ", strip=True)
        self.removed.append(_excerpt(text) or "(an empty hidden element)")
        self._dropped = []

    def handle_data(self, data: str) -> None:
        self._emit(data)

    def handle_entityref(self, name: str) -> None:
        self._emit(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._emit(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        if not self._hidden:
            self.removed.append(_excerpt(data) or "(an empty comment)")

    def handle_decl(self, decl: str) -> None:
        self._emit(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._emit(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._emit(f"<![{data}]>")

    def finish(self) -> Visible:
        self.close()
        if self._hidden:  # an element never closed hides the rest, as a browser would
            self._flush_dropped()
        text = re.sub(r"\n{3,}", "\n\n", "".join(self.kept)).strip()
        return Visible(text, tuple(self.removed))


def visible_markdown(text: str) -> Visible:
    """Return Markdown (with any inline HTML) without comments, hidden elements and
    invisible characters."""
    cleaned = _INVISIBLE.sub("", text)
    noted = ("(invisible characters)",) if cleaned != text else ()
    if "<" not in cleaned:
        return Visible(cleaned, noted)
    stripper = _Stripper()
    stripper.feed(cleaned)
    visible = stripper.finish()
    return Visible(visible.text, noted + visible.removed)


def remove_hidden(soup: BeautifulSoup) -> tuple[str, ...]:
    """Remove comments and hidden elements from a parsed page; return what was removed."""
    removed: list[str] = []
    for string in soup.find_all(string=lambda s: bool(s and _INVISIBLE.search(s))):
        string.replace_with(_INVISIBLE.sub("", str(string)))
        removed.append("(invisible characters)")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        removed.append(_excerpt(str(comment)) or "(an empty comment)")
        comment.extract()
    for element in soup.find_all(True):
        if not isinstance(element, Tag) or element.decomposed:
            continue
        attributes: dict[str, str | None] = {
            k.lower(): " ".join(v) if isinstance(v, list) else v for k, v in element.attrs.items()
        }
        if _is_hidden(attributes):
            removed.append(_excerpt(element.get_text(" ", strip=True)) or "(an empty element)")
            element.decompose()
    return tuple(removed)
