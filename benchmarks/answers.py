"""Does the bot find the right article, and say "I don't know" otherwise? Side by side.

Replays each knowledge base's questions as the bot does (a short follow-up below the
threshold is read with the previous question) three ways: the previous release's TF-IDF
score against its threshold (0.33), the answer model on words only (no encoder installed),
and the answer model with the multilingual encoder (the default). Prints per kind of
question: right article above the answer threshold, a confident wrong article, and right
"I don't know" for the unanswerable.

Sets: the demo's golden questions (developed on) and Velo Verde, a second company written blind
(`benchmarks/data/answers_blind/`, never tuned on). Also times a search at 10,000 generated
articles.

Usage: .venv/bin/python benchmarks/answers.py [--skip-scale]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tandem.config import Settings
from tandem.knowledge.answer_model import LEXICAL_FEATURES
from tandem.knowledge.importer import read_folder
from tandem.knowledge.index import (
    ARTICLE_WEIGHT,
    PASSAGE_WEIGHT,
    TITLE_WEIGHT,
    Hit,
    IndexedArticle,
    RetrievalIndex,
    indexed,
)
from tandem.knowledge.passages import split_passages
from tandem.knowledge.regression import read_golden
from tandem.nlu.encoder import SentenceEncoder, load_encoder

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "tandem" / "demo"
BLIND = ROOT / "benchmarks" / "data" / "answers_blind"
FOLLOW_UP_MAX_WORDS = 7


class Searcher(Protocol):
    def search(self, query: str, *, limit: int) -> list[Hit]: ...


@dataclass(frozen=True)
class Question:
    text: str
    expect: str | None
    kind: str
    previous: str | None = None


def _articles(folder: Path) -> list[IndexedArticle]:
    return [indexed(a.slug, a.title, a.tags, a.body) for a in read_folder(folder)]


def _demo_questions() -> list[Question]:
    golden = read_golden(DEMO / "golden_questions.yaml")
    return [
        Question(g.question, g.article, "answerable" if g.article else "unanswerable")
        for g in golden
    ]


def _blind_questions() -> list[Question]:
    rows = [json.loads(line) for line in (BLIND / "questions.jsonl").read_text().splitlines()]
    return [Question(r["question"], r["expect"], r["kind"], r.get("previous")) for r in rows]


TFIDF_THRESHOLD = 0.33  # the previous release's answer threshold


class _TfidfBaseline:
    """The previous release's score: TF-IDF blended over passage, article and title."""

    def __init__(self, index: RetrievalIndex) -> None:
        self._index = index

    def search(self, query: str, *, limit: int) -> list[Hit]:
        matrix = self._index.evidence(query)
        column = {name: matrix[:, i] for i, name in enumerate(LEXICAL_FEATURES)}
        blend = PASSAGE_WEIGHT * column["passage_tfidf"] + ARTICLE_WEIGHT * column["article_tfidf"]
        blend += TITLE_WEIGHT * column["title_tfidf"]
        best = int(blend.argmax())
        return [Hit(self._index.passages[best], float(blend[best]))]


def _best(index: Searcher, question: Question, threshold: float) -> tuple[str | None, float]:
    hits = index.search(question.text, limit=1)
    score = hits[0].score if hits else 0.0
    short = len(question.text.split()) <= FOLLOW_UP_MAX_WORDS
    if score < threshold and short and question.previous:
        hits = index.search(f"{question.previous} {question.text}", limit=1)
        score = hits[0].score if hits else 0.0
    return (hits[0].passage.slug if hits else None), score


def _report(
    name: str,
    index: Searcher,
    questions: list[Question],
    threshold: float,
    tentative: float | None = None,
) -> None:
    groups: dict[str, list[tuple[Question, str | None]]] = defaultdict(list)
    shown_right = shown_wrong = 0
    for q in questions:
        slug, score = _best(index, q, threshold)
        groups[q.kind].append((q, slug if score >= threshold else None))
        if tentative is not None and tentative <= score < threshold:
            shown_right += slug == q.expect
            shown_wrong += slug != q.expect
    answerable = [(q, a) for rows in groups.values() for q, a in rows if q.expect]
    unanswerable = [(q, a) for rows in groups.values() for q, a in rows if not q.expect]
    right = sum(a == q.expect for q, a in answerable)
    wrong = sum(a is not None and a != q.expect for q, a in answerable + unanswerable)
    idk = sum(a is None for _q, a in unanswerable)
    print(f"\n{name}")
    print(f"  right article: {right}/{len(answerable)} = {right / max(len(answerable), 1):.1%}")
    print(f"  right \"I don't know\": {idk}/{len(unanswerable)} "
          f"= {idk / max(len(unanswerable), 1):.1%}")  # fmt: skip
    print(f"  confident answer from a wrong article: {wrong}/{len(questions)} "
          f"= {wrong / len(questions):.1%}")  # fmt: skip
    if tentative is not None:
        print(f"  shown as a tentative answer ({tentative} to {threshold}): right article "
              f"{shown_right}, wrong article or unanswerable {shown_wrong}")  # fmt: skip
    for kind, rows in sorted(groups.items()):
        good = sum((a == q.expect) if q.expect else (a is None) for q, a in rows)
        print(f"    {kind:<14} {good:>4}/{len(rows):<4}")


def _scale(encoder: SentenceEncoder) -> None:
    """Search latency and build time at 10,000 generated articles (about 100,000 passages)."""
    rng = random.Random(7)
    words = [a.body for a in _articles(DEMO / "knowledge")]
    vocabulary = " ".join(words).split()
    articles = []
    for i in range(10_000):
        paragraphs = [" ".join(rng.choices(vocabulary, k=40)) for _ in range(10)]
        body = "\n\n".join(paragraphs)
        articles.append(
            IndexedArticle(
                slug=f"a{i}",
                title=" ".join(rng.choices(vocabulary, k=6)),
                tags=(),
                body=body,
                passages=tuple(split_passages(slug=f"a{i}", title=f"a{i}", body=body)),
            )
        )
    started = time.perf_counter()
    index = RetrievalIndex(articles, encoder=encoder)
    build = time.perf_counter() - started
    questions = [q.text for q in _demo_questions()][:100]
    timings = []
    for q in questions:
        began = time.perf_counter()
        index.search(q, limit=10)
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nScale: {len(articles)} articles, {len(index)} passages")
    print(f"  full build {build:.0f} s (incremental updates: not yet, each change rebuilds)")
    print(f"  search median {statistics.median(timings):.1f} ms, "
          f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms (target p95 <= 20 ms)")  # fmt: skip
    print(f"  max resident memory {rss:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--only", choices=("demo", "blind"), help="Run one knowledge base.")
    args = parser.parse_args()
    settings = Settings()
    threshold, tentative = settings.answer_threshold, settings.tentative_threshold
    encoder = load_encoder()
    for label, folder, questions in (
        ("demo (developed on)", DEMO / "knowledge", _demo_questions()),
        ("Velo Verde (blind)", BLIND / "knowledge", _blind_questions()),
    ):
        if args.only and (args.only == "blind") != ("blind" in label):
            continue
        articles = _articles(folder)
        words = RetrievalIndex(articles)
        baseline = _TfidfBaseline(words)
        _report(f"{label}, TF-IDF (previous release)", baseline, questions, TFIDF_THRESHOLD)
        _report(f"{label}, answer model on words only", words, questions, threshold, tentative)
        hybrid = RetrievalIndex(articles, encoder=encoder)
        _report(
            f"{label}, answer model with the encoder (default)",
            hybrid,
            questions,
            threshold,
            tentative,
        )
    if not args.skip_scale:
        _scale(encoder)


if __name__ == "__main__":
    main()
