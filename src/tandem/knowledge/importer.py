"""Read a folder of articles (Markdown with YAML front matter, HTML, question/answer CSV).

Every file is validated first; one bad file means nothing is imported.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from tandem.core.errors import InvalidInputError
from tandem.knowledge.formats import ParsedArticle, csv_to_articles, html_to_article, slugify
from tandem.knowledge.hidden import visible_markdown

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ARTICLE_BYTES = 512 * 1024
SUFFIXES = (".md", ".html", ".htm", ".csv")


class FrontMatter(BaseModel):
    model_config = ConfigDict(extra="allow")

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    tags: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]] = []
    last_reviewed: date | None = None


class KnowledgeImportError(InvalidInputError):
    """Some files could not be read; nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(
            f"{len(problems)} file(s) have problems; nothing was imported. "
            f"Fix them and run the import again:\n{listing}"
        )
        self.problems = problems


def parse_article(path: Path) -> ParsedArticle:
    """Parse one Markdown file; raise ValueError with a readable reason when it is invalid."""
    slug = path.stem.lower()
    if not _SLUG.match(slug):
        raise ValueError("file name must be a slug: lowercase letters, digits and hyphens")
    raw = path.read_bytes()
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ValueError(f"file is larger than {MAX_ARTICLE_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError("file is not valid UTF-8") from error
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ValueError(
            "missing YAML front matter (a '---' block with title, tags, last_reviewed)"
        )
    try:
        meta: Any = yaml.safe_load(match.group(1))  # Any: untrusted YAML
    except yaml.YAMLError as error:
        raise ValueError(f"front matter is not valid YAML: {error}") from error
    except ValueError as error:  # YAML's own date parsing, e.g. 2026-13-45
        raise ValueError(
            f"front matter has an impossible date ({error}); use YYYY-MM-DD"
        ) from error
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a mapping with title, tags and last_reviewed")
    try:
        front = FrontMatter.model_validate(meta)
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise ValueError(f"front matter: {details}") from error
    visible = visible_markdown(text[match.end() :])
    body = visible.text.strip()
    if not body:
        raise ValueError("article has no body text (hidden text and comments do not count)")
    return ParsedArticle(
        slug=slug,
        title=front.title,
        body=body,
        tags=front.tags,
        last_reviewed=front.last_reviewed,
        source_path=str(path),
        content_hash=hashlib.sha256(raw).hexdigest(),
        hidden=visible.removed,
    )


def parse_html_file(path: Path) -> ParsedArticle:
    """Parse one HTML file into an article named after the file."""
    return html_to_article(_read_text(path), slug=slugify(path.stem), source=str(path))


def parse_csv_file(path: Path) -> list[ParsedArticle]:
    """Parse a question/answer CSV into one article per row."""
    return csv_to_articles(_read_text(path), source=str(path))


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if len(raw) > MAX_ARTICLE_BYTES * 8:
        raise ValueError(f"file is larger than {MAX_ARTICLE_BYTES * 8 // 1024} KiB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError("file is not valid UTF-8") from error


def parse_file(path: Path) -> list[ParsedArticle]:
    """Parse a Markdown, HTML or CSV file; raise ValueError with a readable reason."""
    suffix = path.suffix.lower()
    if suffix == ".md":
        return [parse_article(path)]
    if suffix in (".html", ".htm"):
        return [parse_html_file(path)]
    if suffix == ".csv":
        return parse_csv_file(path)
    raise ValueError("not a .md, .html or .csv file")


def read_folder(folder: Path) -> list[ParsedArticle]:
    """Parse every article file under ``folder``; raise KnowledgeImportError listing problems."""
    if not folder.is_dir():
        raise KnowledgeImportError([f"{folder}: not a folder"])
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
    if not paths:
        raise KnowledgeImportError([f"{folder}: no .md, .html or .csv files found"])
    return read_files(paths)


def read_files(paths: list[Path]) -> list[ParsedArticle]:
    """Parse ``paths``; raise KnowledgeImportError listing every problem, or return all."""
    articles: list[ParsedArticle] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            parsed = parse_file(path)
        except (ValueError, OSError) as error:
            problems.append(f"{path}: {error}")
            continue
        for article in parsed:
            if article.slug in seen:
                problems.append(f"{article.source_path}: same slug as {seen[article.slug]}")
                continue
            seen[article.slug] = article.source_path
            articles.append(article)
    if problems:
        raise KnowledgeImportError(problems)
    return articles
