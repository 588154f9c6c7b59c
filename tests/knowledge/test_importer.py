"""Importing a folder of Markdown articles: validated first, all or nothing, idempotent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.demo import KNOWLEDGE_DIR
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.importer import KnowledgeImportError, parse_article, read_folder
from tests.factories import write_article


def test_parses_front_matter_and_body(tmp_path: Path) -> None:
    path = write_article(
        tmp_path,
        "returns",
        title="Returns policy",
        body="You have 30 days.",
        tags="[returns, policy]",
    )
    article = parse_article(path)
    assert (article.slug, article.title, article.tags) == (
        "returns",
        "Returns policy",
        ["returns", "policy"],
    )
    assert article.last_reviewed == date(2026, 10, 1)
    assert article.body == "You have 30 days."


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param("no front matter here", "missing YAML front matter", id="no-front-matter"),
        pytest.param("---\ntags: [a]\n---\nBody", "title", id="no-title"),
        pytest.param(
            "---\ntitle: T\nlast_reviewed: 2026-13-45\n---\nBody", "impossible date", id="bad-date"
        ),
        pytest.param("---\ntitle: [unclosed\n---\nBody", "not valid YAML", id="bad-yaml"),
        pytest.param("---\ntitle: T\n---\n", "no body", id="empty-body"),
    ],
)
def test_invalid_files_are_reported_with_their_path(
    tmp_path: Path, content: str, problem: str
) -> None:
    (tmp_path / "bad.md").write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeImportError) as caught:
        read_folder(tmp_path)
    assert problem in caught.value.message
    assert str(tmp_path / "bad.md") in caught.value.message


def test_one_bad_file_means_nothing_is_imported(tmp_path: Path) -> None:
    write_article(tmp_path, "good", title="Good", body="Fine.")
    (tmp_path / "bad.md").write_text("oops", encoding="utf-8")
    with pytest.raises(KnowledgeImportError, match="nothing was imported"):
        read_folder(tmp_path)


def test_file_names_must_be_slugs(tmp_path: Path) -> None:
    (tmp_path / "Bad Name.md").write_text("---\ntitle: T\n---\nBody", encoding="utf-8")
    with pytest.raises(KnowledgeImportError, match="slug"):
        read_folder(tmp_path)


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeImportError, match=r"no \.md, \.html or \.csv files"):
        read_folder(tmp_path)


def test_demo_knowledge_base_is_valid_and_large_enough() -> None:
    articles = read_folder(KNOWLEDGE_DIR)
    assert len(articles) >= 40
    assert all(a.last_reviewed is not None and a.tags for a in articles)


async def test_import_creates_then_updates_then_leaves_unchanged(
    session: AsyncSession, tmp_path: Path
) -> None:
    write_article(tmp_path, "refunds", title="Refunds", body="Refunds take 5 days.")
    write_article(tmp_path, "returns", title="Returns", body="30 days to return.")
    first = await knowledge_service.import_folder(session, tmp_path)
    assert sorted(first.created) == ["refunds", "returns"]

    write_article(tmp_path, "refunds", title="Refunds", body="Refunds take 7 days.")
    second = await knowledge_service.import_folder(session, tmp_path)
    assert (second.created, second.updated, second.unchanged) == ([], ["refunds"], ["returns"])

    article = await knowledge_service.get_article(session, "refunds")
    assert article.body == "Refunds take 7 days."
