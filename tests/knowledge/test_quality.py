"""The audit's pure detectors, table-tested on small articles, and the planted demo problems."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from tandem.demo import KNOWLEDGE_DIR
from tandem.knowledge.importer import read_folder
from tandem.knowledge.quality import usage
from tandem.knowledge.quality.contradictions import extract_claims, find_contradictions
from tandem.knowledge.quality.duplicates import find_duplicates
from tandem.knowledge.quality.findings import AuditArticle, Finding, FindingKind
from tandem.knowledge.quality.links import find_broken_links, internal_links
from tandem.knowledge.quality.report import audit
from tandem.knowledge.quality.staleness import find_stale, mentioned_dates, past_dates_as_future
from tandem.knowledge.quality.usage import (
    ArticleUsage,
    cluster_questions,
    find_gaps,
    find_unused,
)

TODAY = date(2026, 11, 22)


def art(
    slug: str, body: str, *, title: str | None = None, reviewed: date | None = None
) -> AuditArticle:
    return AuditArticle(slug, title or slug.replace("-", " ").title(), body, reviewed)


RETURNS = art("returns", "You can return items within 30 days of delivery for a full refund.")


@pytest.mark.parametrize(
    ("articles", "found"),
    [
        pytest.param(
            [
                RETURNS,
                art("returns-2", "You may return items within 30 days of delivery for a refund."),
            ],
            1,
            id="reworded-copy",
        ),
        pytest.param(
            [RETURNS, art("gift-cards", "Gift cards never expire and work in every shop.")],
            0,
            id="different-topics",
        ),
        pytest.param([RETURNS], 0, id="single-article"),
    ],
)
def test_find_duplicates(articles: list[AuditArticle], found: int) -> None:
    assert len(find_duplicates(articles)) == found


@pytest.mark.parametrize(
    ("first", "second", "contradicts"),
    [
        pytest.param(
            "Refunds reach your account within 5 business days of approval.",
            "Refunds reach your bank account within 10 business days of approval.",
            True,
            id="durations",
        ),
        pytest.param(
            "Gift wrapping costs 3.50 EUR per item with a cotton ribbon.",
            "Gift wrapping costs €4 per item with a cotton ribbon.",
            True,
            id="amounts-euro-sign",
        ),
        pytest.param(
            "Refunds reach your account within 5 business days of approval.",
            "Refunds reach your account within 5 working days of approval.",
            False,
            id="same-value-synonym-unit",
        ),
        pytest.param(
            "Refunds reach your account within 5 business days of approval.",
            "Gift cards are sent by e-mail within 10 minutes of payment.",
            False,
            id="different-topics",
        ),
        pytest.param(
            "Yes, we ship to Norway and Switzerland.",
            "No, we do not ship outside the EU.",
            True,
            id="yes-no",
        ),
    ],
)
def test_find_contradictions(first: str, second: str, contradicts: bool) -> None:
    title = "Do you ship to Norway?"
    findings = find_contradictions([art("a", first, title=title), art("b", second, title=title)])
    assert bool(findings) is contradicts
    assert all(f.kind is FindingKind.CONTRADICTION for f in findings)


def test_claims_keep_the_unit_and_value() -> None:
    [claim] = extract_claims("Returns are free within 30 days of delivery.")
    assert claim.values == {"day": frozenset({"30"})}


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        pytest.param("from 1 March 2025 we will", [date(2025, 3, 1)], id="day-month-year"),
        pytest.param("until December 24th, 2025", [date(2025, 12, 24)], id="month-day-year"),
        pytest.param(
            "on 2026-02-30 or 2026-02-01", [date(2026, 2, 1)], id="iso-impossible-skipped"
        ),
        pytest.param("in 30 days", [], id="no-date"),
    ],
)
def test_mentioned_dates(text: str, dates: list[date]) -> None:
    assert mentioned_dates(text) == dates


@pytest.mark.parametrize(
    ("body", "stale"),
    [
        pytest.param("From 1 March 2025 we will open a shop in Ghent.", True, id="past-as-future"),
        pytest.param("From 1 March 2027 we will open a shop in Ghent.", False, id="future"),
        pytest.param("We opened our Ghent shop on 1 March 2025.", False, id="past-as-past"),
    ],
)
def test_past_dates_as_future(body: str, stale: bool) -> None:
    assert bool(past_dates_as_future(body, today=TODAY)) is stale


@pytest.mark.parametrize(
    ("reviewed", "stale"),
    [
        pytest.param(date(2025, 11, 1), True, id="over-a-year"),
        pytest.param(date(2026, 1, 1), False, id="recent"),
        pytest.param(None, False, id="never-dated"),
    ],
)
def test_find_stale_by_review_date(reviewed: date | None, stale: bool) -> None:
    findings = find_stale(
        [art("a", "Plain text.", reviewed=reviewed)], today=TODAY, max_age_days=365
    )
    assert bool(findings) is stale


def test_find_broken_links() -> None:
    articles = [
        art("a", "See [b](/kb/b), [gone](/kb/gone) and https://example.com/kb/elsewhere."),
        art("b", "Fine."),
    ]
    assert internal_links(articles[0].body) == ["b", "gone"]
    [finding] = find_broken_links(articles)
    assert finding.articles == ("A",)
    assert "/kb/gone" in finding.detail


@pytest.mark.parametrize(
    ("usage", "reported"),
    [
        pytest.param([ArticleUsage("b", 60, 0)], ["A"], id="never-used"),
        pytest.param([ArticleUsage("b", 10, 0)], [], id="too-little-data"),
        pytest.param(
            [ArticleUsage("a", 10, 6), ArticleUsage("b", 50, 0)], ["A"], id="poor-resolution"
        ),
        pytest.param([ArticleUsage("a", 10, 2), ArticleUsage("b", 50, 0)], [], id="resolves"),
    ],
)
def test_find_unused(usage: list[ArticleUsage], reported: list[str]) -> None:
    findings = find_unused([art("a", "x"), art("b", "y")], usage)
    assert [f.articles[0] for f in findings] == reported


def test_gaps_are_clustered_and_ranked_by_volume() -> None:
    questions = [
        "do you sell christmas trees",
        "can I pay with bitcoin",
        "are christmas trees for sale",
        "do you sell real christmas trees?",
    ]
    clusters = cluster_questions(questions)
    assert [len(c) for c in clusters] == [3, 1]
    first = find_gaps(questions)[0]
    assert first.kind is FindingKind.GAP
    assert "3 unanswered" in first.detail


def _greedy_clusters(matrix: np.ndarray, threshold: float) -> list[list[int]]:
    """The clustering spelled out: seed with the most unassigned neighbours, take its own."""
    unassigned = list(range(len(matrix)))
    clusters = []
    while unassigned:
        seed = max(unassigned, key=lambda i: sum(matrix[i, j] >= threshold for j in unassigned))
        members = [j for j in unassigned if j == seed or matrix[seed, j] >= threshold]
        clusters.append(members)
        unassigned = [j for j in unassigned if j not in members]
    return sorted(clusters, key=len, reverse=True)


@pytest.mark.parametrize("seed", range(5))
def test_gap_clusters_are_the_greedy_clusters(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    size = 60
    values = rng.random((size, size))
    matrix = (values + values.T) / 2
    np.fill_diagonal(matrix, 1.0)
    monkeypatch.setattr(usage, "similarities", lambda texts: matrix)
    texts = [f"question {i}" for i in range(size)]

    found = cluster_questions(texts, threshold=0.8)

    expected = [[texts[i] for i in c] for c in _greedy_clusters(matrix, 0.8)]
    assert found == expected


def test_findings_serialise_to_the_documented_shape() -> None:
    finding = Finding(FindingKind.STALE, ("A",), "detail", "fix")
    assert finding.as_json() == {
        "kind": "stale",
        "articles": ["A"],
        "detail": "detail",
        "fix": "fix",
    }


def test_the_demo_knowledge_base_ships_one_problem_of_each_planted_kind() -> None:
    articles = [
        AuditArticle(a.slug, a.title, a.body, a.last_reviewed) for a in read_folder(KNOWLEDGE_DIR)
    ]
    findings = audit(articles, usage=[], unanswered=[], today=TODAY, max_age_days=365)
    found = {(f.kind, f.articles) for f in findings}
    assert found == {
        (FindingKind.DUPLICATE, ("Our cookie policy", "How do you use cookies?")),
        (FindingKind.CONTRADICTION, ("Business and bulk orders", "Do you offer gift wrapping?")),
        (FindingKind.STALE, ("Holiday season delivery 2025",)),
        (FindingKind.BROKEN_LINK, ("Holiday season delivery 2025",)),
    }
    stale = next(f for f in findings if f.kind is FindingKind.STALE)
    assert "2024-11-18" in stale.detail
    assert "1 December 2025" in stale.detail
