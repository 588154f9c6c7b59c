"""Knowledge: import articles, keep the retrieval index fresh, and find grounded answers."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.core.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    ServiceUnavailableError,
)
from tandem.core.time import utc_now
from tandem.knowledge import repository, vectors
from tandem.knowledge.answer_model import load_answer_model
from tandem.knowledge.crawler import site_of
from tandem.knowledge.formats import ParsedArticle, content_hash, slugify
from tandem.knowledge.importer import KnowledgeImportError, read_files, read_folder
from tandem.knowledge.index import Hit, RetrievalIndex, dense_texts, indexed
from tandem.knowledge.live import (  # re-exported: callers reach the index through here
    ArticleRow,
    build_index,
    index_cache,
    knowledge_encoder,
    row,
    stored_vectors,
)
from tandem.knowledge.models import Article
from tandem.knowledge.regression import (
    Answer,
    Change,
    GoldenQuestion,
    KnowledgeRegressionError,
    compare,
    replay,
)

MAX_SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # golden answers that would change
    hidden: dict[str, tuple[str, ...]] = field(default_factory=dict)  # slug: text removed


@dataclass(frozen=True, slots=True)
class RegressionCheck:
    """Golden questions to replay before publishing, and whether regressions may publish."""

    golden: Sequence[GoldenQuestion]
    threshold: float
    allow_regressions: bool = False


@dataclass(frozen=True, slots=True)
class ArticleRef:
    slug: str
    title: str
    score: float

    @property
    def url(self) -> str:
        return article_url(self.slug)


@dataclass(frozen=True, slots=True)
class Retrieval:
    """The best passage for a question, and the articles next in line."""

    best: Hit | None
    articles: list[ArticleRef]
    hits: tuple[Hit, ...] = ()  # the best passages, best first
    # The follow-up model's reading of the question: does it depend on the one before it?
    # None for an index of words only (``RetrievalIndex.depends_on_previous``).
    depends_on_previous: bool | None = None

    @property
    def confidence(self) -> float:
        return self.best.score if self.best else 0.0

    def avoiding(self, given: set[str], *, threshold: float) -> Retrieval:
        """Prefer the best passage not in ``given`` that still clears ``threshold``.

        A follow-up ("is there any interest on that?") deserves the next paragraph, not the
        one the customer already read.
        """
        if self.best is None or passage_key(self.best) not in given:
            return self
        for hit in self.hits:
            if hit.score < threshold:
                break
            if passage_key(hit) not in given:
                return replace(self, best=hit)
        return self


def passage_key(hit: Hit) -> str:
    """Name a passage stably: its article's slug and its position."""
    return f"{hit.passage.slug}#{hit.passage.position}"


def article_url(slug: str) -> str:
    """Return the public page of an article."""
    return f"/kb/{slug}"


async def import_folder(
    session: AsyncSession, folder: Path, *, check: RegressionCheck | None = None
) -> ImportReport:
    """Sync the articles of a folder (Markdown, HTML, CSV), all files validated first.

    Articles once imported from this folder whose files are gone are deleted.
    """
    folder = await asyncio.to_thread(folder.resolve)
    parsed = await asyncio.to_thread(read_folder, folder)
    return await publish(session, parsed, source_prefix=f"{folder}/", check=check)


async def import_file(
    session: AsyncSession, path: Path, *, check: RegressionCheck | None = None
) -> ImportReport:
    """Sync the articles of one Markdown, HTML or CSV file (a CSV's vanished rows are deleted)."""
    path = await asyncio.to_thread(path.resolve)
    parsed = await asyncio.to_thread(read_files, [path])
    prefix = f"{path}#" if path.suffix.lower() == ".csv" else None
    return await publish(session, parsed, source_prefix=prefix, check=check)


async def publish(
    session: AsyncSession,
    parsed: Sequence[ParsedArticle],
    *,
    source_prefix: str | None,
    check: RegressionCheck | None = None,
) -> ImportReport:
    """Create, update and delete articles to match ``parsed``, matched by slug.

    Articles whose source starts with ``source_prefix`` and that ``parsed`` no longer has
    are deleted. An article from elsewhere (another website, or files when crawling) is never
    overwritten: KnowledgeImportError names the clashing slugs and nothing changes. With
    ``check``, golden questions are replayed first; if a right answer would
    turn wrong and regressions are not allowed, raise KnowledgeRegressionError and change
    nothing.
    """
    current = list(await repository.list_articles(session))
    by_slug = {a.slug: a for a in current}
    incoming = {item.slug for item in parsed}
    clashes = _clashes(parsed, by_slug)
    if clashes:
        raise KnowledgeImportError(clashes)
    stale = (
        [a for a in await repository.under_source(session, source_prefix) if a.slug not in incoming]
        if source_prefix
        else []
    )
    changes: list[Change] = []
    if check is not None and current:
        stored = await stored_vectors(session)
        changes = await asyncio.to_thread(_replay_change, current, parsed, stale, check, stored)
        if any(c.regression for c in changes) and not check.allow_regressions:
            raise KnowledgeRegressionError(changes)
    report = ImportReport(changes=changes, hidden={a.slug: a.hidden for a in parsed if a.hidden})
    now = utc_now()
    for item in parsed:
        article = by_slug.get(item.slug)
        if article is None:
            session.add(
                Article(
                    slug=item.slug,
                    title=item.title,
                    body=item.body,
                    tags=item.tags,
                    last_reviewed=item.last_reviewed,
                    source_path=item.source_path,
                    content_hash=item.content_hash,
                    created_at=now,
                    updated_at=now,
                )
            )
            report.created.append(item.slug)
        elif article.content_hash != item.content_hash:
            article.title = item.title
            article.body = item.body
            article.tags = item.tags
            article.last_reviewed = item.last_reviewed
            article.source_path = item.source_path
            article.content_hash = item.content_hash
            article.updated_at = now
            report.updated.append(item.slug)
        else:
            report.unchanged.append(item.slug)
    await repository.delete_articles(session, stale)
    report.deleted.extend(a.slug for a in stale)
    await session.flush()
    changed = {*report.created, *report.updated}
    await _store_vectors(
        session,
        [(i.slug, i.title, tuple(i.tags), i.body) for i in parsed if i.slug in changed],
        prune=bool(report.updated or report.deleted),
    )
    return report


async def _store_vectors(
    session: AsyncSession, changed: Sequence[ArticleRow], *, prune: bool
) -> None:
    """Encode what changed articles need and store it; with ``prune``, drop what none uses."""
    encoder = knowledge_encoder()
    if encoder is None:
        return
    await vectors.encode_missing(session, encoder, [indexed(*article) for article in changed])
    if prune:
        await vectors.prune(session, encoder.name, await _keys_in_use(session))


@lru_cache(maxsize=20_000)
def _keys_of(article: ArticleRow) -> frozenset[str]:
    # Splitting 10,000 articles into passages takes seconds: each version is split once.
    return frozenset(dense_texts([indexed(*article)]))


async def _keys_in_use(session: AsyncSession) -> set[str]:
    """The vector keys of every current article (off the event loop: it splits articles)."""
    articles = [row(a) for a in await repository.list_articles(session)]
    return await asyncio.to_thread(lambda: set().union(*map(_keys_of, articles)))


def _clashes(parsed: Sequence[ParsedArticle], by_slug: dict[str, Article]) -> list[str]:
    found: list[str] = []
    for item in parsed:
        existing = by_slug.get(item.slug)
        if existing is None or existing.source_path is None:
            continue
        if _origin(existing.source_path) != _origin(item.source_path):
            found.append(
                f"{item.source_path}: the slug '{item.slug}' already belongs to "
                f"{existing.source_path}; rename one of them"
            )
    return found


def _origin(source: str | None) -> str | None:
    """Name where an article comes from: a website, or files (None: written in Tandem)."""
    if source is None:
        return None
    if source.startswith(("http://", "https://")):
        return site_of(source)
    if source.startswith(API_SOURCE):
        return "the API"
    return "files"


def _replay_change(
    current: Sequence[Article],
    parsed: Sequence[ParsedArticle],
    stale: Sequence[Article],
    check: RegressionCheck,
    stored: Mapping[str, NDArray[np.float32]],
) -> list[Change]:
    before = {a.slug: (a.slug, a.title, tuple(a.tags), a.body) for a in current}
    after = dict(before)
    for article in stale:
        after.pop(article.slug, None)
    for item in parsed:
        after[item.slug] = (item.slug, item.title, tuple(item.tags), item.body)
    old = replay(
        check.golden, build_index(before.values(), stored=stored), threshold=check.threshold
    )
    new = replay(
        check.golden, build_index(after.values(), stored=stored), threshold=check.threshold
    )
    return compare(old, new)


async def test_answers(
    session: AsyncSession, golden: Sequence[GoldenQuestion], *, threshold: float
) -> list[Answer]:
    """Replay golden questions against the current knowledge base."""
    index = await index_cache.get(session)
    return await asyncio.to_thread(replay, golden, index, threshold=threshold)


async def get_article(session: AsyncSession, slug: str) -> Article:
    article = await repository.get_by_slug(session, slug)
    if article is None:
        raise NotFoundError(f"No article '{slug}'. Browse the help centre at /kb.")
    return article


async def list_articles(session: AsyncSession) -> Sequence[Article]:
    return await repository.list_articles(session)


async def find_article(session: AsyncSession, slug: str) -> Article | None:
    return await repository.get_by_slug(session, slug)


async def titles_of(session: AsyncSession, slugs: Collection[str]) -> dict[str, str]:
    """Return the title of each article in ``slugs`` that exists, by slug."""
    found = await repository.by_slugs(session, sorted(set(slugs)))
    return {slug: article.title for slug, article in found.items()}


async def do_publish_article(
    session: AsyncSession, *, slug: str, title: str, body: str, tags: Sequence[str]
) -> Article:
    """Create or replace the article ``slug``; the retrieval index follows on the next read."""
    digest = hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()
    now = utc_now()
    article = await repository.get_by_slug(session, slug)
    if article is None:
        article = Article(slug=slug, created_at=now, last_reviewed=now.date())
        session.add(article)
    article.title, article.body, article.tags = title, body, list(tags)
    article.content_hash, article.updated_at, article.last_reviewed = digest, now, now.date()
    await session.flush()
    await _store_vectors(session, [row(article)], prune=True)
    return article


API_SOURCE = "api:"


def _api_source(slug: str) -> str:
    return f"{API_SOURCE}{slug}/"  # the slash: "api:ship/" is no prefix of "api:shipping/"


async def do_put_article(
    session: AsyncSession,
    *,
    slug: str,
    title: str,
    body: str,
    tags: Sequence[str],
    check: RegressionCheck | None,
) -> tuple[Article, bool]:
    """Create or replace an article sent through the API; return it and whether it is new.

    It goes through what an import goes through: an article imported from files or a website
    is not overwritten (KnowledgeImportError), and with ``check`` the golden questions are
    replayed first (KnowledgeRegressionError, nothing published, when one would turn wrong).
    """
    if slug != slugify(slug):
        raise InvalidInputError(f"Use the slug {slugify(slug)!r}: lowercase words and hyphens.")
    title, body = title.strip(), body.strip() + "\n"
    if not title or not body.strip():
        raise InvalidInputError("An article needs a title and a body.")
    parsed = ParsedArticle(
        slug=slug,
        title=title,
        body=body,
        tags=[t.strip() for t in tags if t.strip()],
        last_reviewed=utc_now().date(),
        source_path=_api_source(slug),
        content_hash=content_hash(title, body),
    )
    report = await publish(session, [parsed], source_prefix=None, check=check)
    return await get_article(session, slug), slug in report.created


async def do_delete_article(
    session: AsyncSession, slug: str, *, check: RegressionCheck | None
) -> None:
    """Delete an article sent through the API, after the golden questions (as an import)."""
    article = await get_article(session, slug)
    if article.source_path != _api_source(slug):
        raise ConflictError(
            f"The article '{slug}' comes from {_origin(article.source_path) or 'Tandem'}; "
            "change it there (only articles sent through the API are deleted through it)."
        )
    await publish(session, [], source_prefix=_api_source(slug), check=check)


async def store_all_vectors(session: AsyncSession) -> tuple[int, int]:
    """Encode and store what every article needs; drop what none uses. Return both counts.

    Vectors of an encoder the answer model no longer reads through (after an upgrade) go too.
    """
    encoder = knowledge_encoder()
    if encoder is None:
        raise ServiceUnavailableError(
            f"The encoder '{load_answer_model().encoder}' cannot load (the log says why); "
            "reinstall Tandem with `pip install tandem`."
        )
    current = [indexed(*row(a)) for a in await repository.list_articles(session)]
    stored = await vectors.encode_missing(session, encoder, current)
    pruned = await vectors.prune(session, encoder.name, await _keys_in_use(session))
    pruned += await vectors.prune_other_encoders(session, encoder.name)
    return stored, pruned


async def retrieve(session: AsyncSession, question: str) -> Retrieval:
    """Find the passage that best answers ``question`` and the best distinct articles."""
    index = await index_cache.get(session)
    # Encoding the question and scoring passages is CPU work: off the event loop.
    hits, depends = await asyncio.to_thread(_search, index, question)
    articles: list[ArticleRef] = []
    seen: set[str] = set()
    for hit in hits:
        if hit.passage.slug in seen:
            continue
        seen.add(hit.passage.slug)
        articles.append(ArticleRef(hit.passage.slug, hit.passage.title, hit.score))
        if len(articles) == MAX_SUGGESTIONS + 1:
            break
    best = hits[0] if hits else None
    return Retrieval(best, articles, tuple(hits[:10]), depends_on_previous=depends)


def _search(index: RetrievalIndex, question: str) -> tuple[list[Hit], bool | None]:
    # One thread hop: the follow-up reading reuses the question's vector the search encoded.
    return index.search(question, limit=30), index.depends_on_previous(question)
