"""Read articles from HTML pages and from a CSV of question/answer pairs.

HTML is parsed with Beautiful Soup on the standard library's parser: tolerant of real-world
markup, no compiled dependency. The main content (``<main>``, ``<article>``, or the body
without navigation, headers and footers) becomes Markdown-like text the passage splitter
understands: headings, paragraphs and list items.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date

from bs4 import BeautifulSoup, Tag

from tandem.knowledge.hidden import remove_hidden, visible_markdown

_NOISE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template")
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "dt", "dd", "td")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 80
QUESTION_COLUMNS = ("question", "title", "q")
ANSWER_COLUMNS = ("answer", "body", "a")


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    slug: str
    title: str
    body: str
    tags: list[str]
    last_reviewed: date | None
    source_path: str
    content_hash: str
    hidden: tuple[str, ...] = ()  # hidden text removed on reading (comments, display:none)


def slugify(text: str) -> str:
    """Turn any text into a slug: lowercase words joined by hyphens."""
    return _NON_SLUG.sub("-", text.lower()).strip("-")[:MAX_SLUG].strip("-")


def content_hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def html_to_article(html: str, *, slug: str, source: str) -> ParsedArticle:
    """Extract the title and main text of an HTML page; raise ValueError if there is none."""
    soup = BeautifulSoup(html, "html.parser")
    hidden = remove_hidden(soup)
    for noise in soup.find_all(_NOISE):
        noise.decompose()
    main = soup.find("main") or soup.find("article") or soup.find(None, {"role": "main"})
    root = main if isinstance(main, Tag) else soup.body or soup
    heading = root.find("h1")
    title_tag = soup.find("title")
    title = _text(heading) if isinstance(heading, Tag) else ""
    title = title or (_text(title_tag) if isinstance(title_tag, Tag) else "")
    lines: list[str] = []
    for block in root.find_all(_BLOCKS):
        if block.find_parent(_BLOCKS) is not None or block is heading:
            continue  # nested blocks are read with their parent; the title is not body text
        text = _text(block)
        if not text:
            continue
        if block.name and block.name[0] == "h":
            lines += ["", f"## {text}", ""]
        elif block.name == "li":
            lines.append(f"- {text}")
        else:
            lines += ["", text, ""]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if not title:
        raise ValueError("page has no <h1> or <title> to use as the article title")
    if not body:
        raise ValueError("page has no text")
    return ParsedArticle(
        slug=slug,
        title=title[:300],
        body=body,
        tags=[],
        last_reviewed=None,
        source_path=source,
        content_hash=content_hash(title, body),
        hidden=hidden,
    )


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def csv_to_articles(text: str, *, source: str) -> list[ParsedArticle]:
    """Make one article per row of a question/answer CSV; raise ValueError naming bad rows."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ValueError("the CSV is empty")
    question_at, answer_at = _column(rows[0], QUESTION_COLUMNS), _column(rows[0], ANSWER_COLUMNS)
    if question_at is None or answer_at is None:
        raise ValueError("the first row must name a 'question' and an 'answer' column")
    articles: list[ParsedArticle] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        question = row[question_at].strip() if len(row) > question_at else ""
        visible = visible_markdown(row[answer_at] if len(row) > answer_at else "")
        answer = visible.text.strip()
        slug = slugify(question)
        if not question or not answer or not slug:
            problems.append(f"row {number}: needs both a question and an answer")
        elif slug in seen:
            problems.append(f"row {number}: the same question appears twice")
        else:
            seen.add(slug)
            articles.append(
                ParsedArticle(
                    slug=slug,
                    title=question[:300],
                    body=answer,
                    tags=[],
                    last_reviewed=None,
                    source_path=f"{source}#{slug}",
                    content_hash=content_hash(question, answer),
                    hidden=visible.removed,
                )
            )
    if problems:
        raise ValueError("; ".join(problems))
    return articles
