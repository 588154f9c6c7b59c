"""Does the bot find the right article, and say "I don't know" otherwise? Side by side.

Builds the retrieval index of a knowledge base twice, lexical only (the previous release's
retrieval) and with the multilingual encoder for questions in another language, replays its
questions as the bot does (a short follow-up below the threshold is read with the previous
question), and prints per kind of question: right article above the answer threshold, a
confident wrong article, and right "I don't know" for the unanswerable.

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

from tandem.config import Settings
from tandem.knowledge.importer import read_folder
from tandem.knowledge.index import IndexedArticle, RetrievalIndex
from tandem.knowledge.passages import split_passages
from tandem.knowledge.regression import read_golden
from tandem.nlu.encoder import SentenceEncoder, load_encoder

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "tandem" / "demo"
BLIND = ROOT / "benchmarks" / "data" / "answers_blind"
FOLLOW_UP_MAX_WORDS = 7


@dataclass(frozen=True)
class Question:
    text: str
    expect: str | None
    kind: str
    previous: str | None = None


def _articles(folder: Path) -> list[IndexedArticle]:
    return [
        IndexedArticle(
            slug=a.slug,
            title=a.title,
            tags=tuple(a.tags),
            body=a.body,
            passages=tuple(split_passages(slug=a.slug, title=a.title, body=a.body)),
        )
        for a in read_folder(folder)
    ]


def _demo_questions() -> list[Question]:
    golden = read_golden(DEMO / "golden_questions.yaml")
    return [
        Question(g.question, g.article, "answerable" if g.article else "unanswerable")
        for g in golden
    ]


def _blind_questions() -> list[Question]:
    rows = [json.loads(line) for line in (BLIND / "questions.jsonl").read_text().splitlines()]
    return [Question(r["question"], r["expect"], r["kind"], r.get("previous")) for r in rows]


def _answer(index: RetrievalIndex, question: Question, threshold: float) -> str | None:
    hits = index.search(question.text, limit=1)
    score = hits[0].score if hits else 0.0
    short = len(question.text.split()) <= FOLLOW_UP_MAX_WORDS
    if score < threshold and short and question.previous:
        hits = index.search(f"{question.previous} {question.text}", limit=1)
        score = hits[0].score if hits else 0.0
    return hits[0].passage.slug if hits and score >= threshold else None


def _report(name: str, index: RetrievalIndex, questions: list[Question], threshold: float) -> None:
    groups: dict[str, list[tuple[Question, str | None]]] = defaultdict(list)
    for q in questions:
        groups[q.kind].append((q, _answer(index, q, threshold)))
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
    args = parser.parse_args()
    threshold = Settings().answer_threshold
    encoder = load_encoder()
    for label, folder, questions in (
        ("demo (developed on)", DEMO / "knowledge", _demo_questions()),
        ("Velo Verde (blind)", BLIND / "knowledge", _blind_questions()),
    ):
        articles = _articles(folder)
        _report(
            f"{label}, lexical (previous release)", RetrievalIndex(articles), questions, threshold
        )
        hybrid = RetrievalIndex(articles, encoder=encoder)
        _report(f"{label}, with the encoder across languages", hybrid, questions, threshold)
    if not args.skip_scale:
        _scale(encoder)


if __name__ == "__main__":
    main()
