"""Does the bot find the right article, and say "I don't know" otherwise? Side by side.

Replays each knowledge base's questions as the bot does (a short follow-up below the
threshold is read with the previous question) three ways: the previous release's TF-IDF
score against its threshold (0.33), the answer model on words only (no encoder installed),
and the answer model with the multilingual encoder (the default). Prints per kind of
question: right article above the answer threshold, a confident wrong article, and right
"I don't know" for the unanswerable.

Sets: the demo's golden questions (developed on), Velo Verde (`benchmarks/data/answers_blind/`,
written blind; its aggregates have been seen) and Lumo Mobile (`answers_blind_v2/`, written blind,
never tuned on). `--compare FILE` measures another answer model (and its encoder) beside the
shipped one. Also times a search at 10,000 generated articles.

Usage: .venv/bin/python benchmarks/answers.py [--skip-scale] [--compare answers.json]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from tandem.config import Settings
from tandem.knowledge import answer_model
from tandem.knowledge.answer_model import LEXICAL_FEATURES, load_answer_model
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
BLIND_V2 = ROOT / "benchmarks" / "data" / "answers_blind_v2"
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


def _jsonl_questions(folder: Path) -> list[Question]:
    lines = (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
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


class _SampledEncoder:
    """Encodes questions and a sample of passages for real; other passages reuse those vectors.

    At 100,000 passages E5 takes hours on two cores, so the build time is the measured time
    per passage times the count, while search runs on a full, real-shaped dense matrix.
    """

    SAMPLE = 300

    def __init__(self, encoder: SentenceEncoder) -> None:
        self._encoder = encoder
        self.name = encoder.name
        self.seconds_per_passage = 0.0

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return self._encoder.encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        sample = list(texts[: self.SAMPLE])
        started = time.perf_counter()
        vectors = self._encoder.encode_passages(sample)
        self.seconds_per_passage = (time.perf_counter() - started) / max(len(sample), 1)
        return np.resize(vectors, (len(texts), vectors.shape[1]))


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
    sampled = _SampledEncoder(encoder)
    started = time.perf_counter()
    index = RetrievalIndex(articles, encoder=sampled)
    build = time.perf_counter() - started
    encoding = sampled.seconds_per_passage * len(index)
    questions = [q.text for q in _demo_questions()][:100]
    timings = []
    for q in questions:
        began = time.perf_counter()
        index.search(q, limit=10)
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nScale: {len(articles)} articles, {len(index)} passages")
    each = sampled.seconds_per_passage * 1000
    print(f"  build without encoding {build:.0f} s; encoding with {encoder.name}: {each:.0f} ms "
          f"per passage, about {encoding / 60:.0f} min for all (once: passages are cached by "
          "text, so a rebuild in the same process encodes only what changed)")  # fmt: skip
    print(f"  search median {statistics.median(timings):.1f} ms, "
          f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms (target p95 <= 20 ms)")  # fmt: skip
    print(f"  max resident memory {rss:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--only", choices=("demo", "blind"), help="Run the demo or the blind sets.")
    parser.add_argument(
        "--compare", type=Path, help="Another answer model file, measured beside the shipped one."
    )
    args = parser.parse_args()
    settings = Settings()
    threshold, tentative = settings.answer_threshold, settings.tentative_threshold
    shipped = load_answer_model()
    models = [("shipped", shipped)]
    if args.compare:
        models.append((f"{args.compare.name}", answer_model.read(args.compare)))
    sets = (
        ("demo (developed on)", DEMO / "knowledge", _demo_questions()),
        ("Velo Verde (blind, aggregates seen)", BLIND / "knowledge", _jsonl_questions(BLIND)),
        ("Lumo Mobile (blind v2)", BLIND_V2 / "knowledge", _jsonl_questions(BLIND_V2)),
    )
    for label, folder, questions in sets:
        if args.only and (args.only == "blind") != ("blind" in label):
            continue
        articles = _articles(folder)
        words = RetrievalIndex(articles, model=shipped)
        baseline = _TfidfBaseline(words)
        _report(f"{label}, TF-IDF (previous release)", baseline, questions, TFIDF_THRESHOLD)
        _report(f"{label}, answer model on words only", words, questions, threshold, tentative)
        for name, model in models:
            hybrid = RetrievalIndex(articles, encoder=load_encoder(model.encoder), model=model)
            _report(
                f"{label}, answer model {name} with {model.encoder}",
                hybrid,
                questions,
                threshold,
                tentative,
            )
    if not args.skip_scale:
        _scale(load_encoder(shipped.encoder))


if __name__ == "__main__":
    main()
