"""Does the bot find the right article, and say "I don't know" otherwise? Side by side.

Replays each knowledge base's questions as the bot does (a follow-up below the threshold
that the follow-up model reads as depending on the previous question is read with it; by
length, with TF-IDF and words only) three ways: the previous release's TF-IDF score against
its threshold (0.33), the answer model on words only (no encoder installed), and the answer
model with the multilingual encoder (the default). Prints per kind of question: right
article above the answer threshold, a confident wrong article, and right "I don't know" for
the unanswerable; then the same for every question but the follow-ups asked after the
question before it in the file (about another article), which earlier turns must not
override.

Sets: the demo's golden questions (developed on), Velo Verde (`benchmarks/data/answers_blind/`,
written blind; its aggregates have been seen), Lumo Mobile (`answers_blind_v2/`, written blind,
never tuned on, its aggregates seen), Fernwood Fitness (`answers_blind_v3/`, written blind on
2026-12-04, never tuned on, its aggregates seen), Brightwave Energy (`answers_blind_v4/`,
written blind on 2026-12-04, never tuned on, its aggregates seen) and Northpeak Fitness
(`answers_blind_v5/`, written blind on 2026-12-04, never tuned on, its aggregates seen) and Tessel
Drive (`answers_blind_v6/`, a car-sharing service written blind on 2026-12-04 with 200 casual
questions in eight other languages; its failures were studied on 2026-12-05, so it is a
development set now), Brindle & Co (`answers_blind_v7/`, a pet-supplies shop written blind
on 2026-12-04, never tuned on, its aggregates seen), Kestrel Fix (`answers_blind_v8/`, a
repair and refurbished-phone shop written blind on 2026-12-05, never tuned on, its aggregates
seen), Larkway (`answers_blind_v9/`, a train and coach ticketing operator written blind on
2026-12-05, never tuned on, its aggregates seen), Boxhaven (`answers_blind_v10/`, a
self-storage chain written blind on 2026-12-05, never tuned on, its aggregates seen),
Nestwell (`answers_blind_v11/`, a home-insurance provider written blind on 2026-12-05, first
run 2026-12-06, never tuned on, its aggregates seen), Pedalo City Mobility
(`answers_blind_v12/`, a bike- and scooter-share service written blind on 2026-12-06, first
run 2026-12-07, never tuned on, its aggregates seen) and Kestrel Vets (`answers_blind_v13/`, a
chain of vet clinics written blind on 2026-12-07 and not run yet: `--only latest` gives its
first, blind figures). `--compare FILE` measures another answer model (and its encoder)
beside the shipped one. Also times a search at 10,000 generated articles.

Usage: .venv/bin/python benchmarks/answers.py [--skip-scale] [--only SETS] [--compare FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from tandem.config import Settings
from tandem.knowledge import answer_model
from tandem.knowledge.answer_model import LEXICAL_FEATURES, load_answer_model
from tandem.knowledge.followup import reads_as_follow_up, with_previous
from tandem.knowledge.importer import read_folder
from tandem.knowledge.index import (
    ARTICLE_WEIGHT,
    PASSAGE_WEIGHT,
    TITLE_WEIGHT,
    Hit,
    IndexedArticle,
    RetrievalIndex,
    dense_texts,
    encode_texts,
    indexed,
)
from tandem.knowledge.regression import read_golden
from tandem.nlu.encoder import SentenceEncoder, load_encoder

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "tandem" / "demo"
BLIND = ROOT / "benchmarks" / "data" / "answers_blind"
BLIND_V2 = ROOT / "benchmarks" / "data" / "answers_blind_v2"
BLIND_V3 = ROOT / "benchmarks" / "data" / "answers_blind_v3"
BLIND_V4 = ROOT / "benchmarks" / "data" / "answers_blind_v4"
BLIND_V5 = ROOT / "benchmarks" / "data" / "answers_blind_v5"
BLIND_V6 = ROOT / "benchmarks" / "data" / "answers_blind_v6"
BLIND_V7 = ROOT / "benchmarks" / "data" / "answers_blind_v7"
BLIND_V8 = ROOT / "benchmarks" / "data" / "answers_blind_v8"
BLIND_V9 = ROOT / "benchmarks" / "data" / "answers_blind_v9"
BLIND_V10 = ROOT / "benchmarks" / "data" / "answers_blind_v10"
BLIND_V11 = ROOT / "benchmarks" / "data" / "answers_blind_v11"
BLIND_V12 = ROOT / "benchmarks" / "data" / "answers_blind_v12"
BLIND_V13 = ROOT / "benchmarks" / "data" / "answers_blind_v13"


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
    # As the bot does: the follow-up model decides, where the index has one (not TF-IDF).
    depends = getattr(index, "depends_on_previous", lambda _text: None)(question.text)
    if question.previous and reads_as_follow_up(
        question.text, hits, threshold=threshold, depends=depends
    ):
        hits = index.search(with_previous(question.previous, question.text), limit=1)
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
    _report_after_another(index, questions, threshold)


def _after_another(questions: list[Question]) -> list[Question]:
    """Every question that is not a follow-up, asked after the one before it in the file
    (about another article): earlier turns must not override a new question."""
    pairs = zip([None, *questions], questions, strict=False)
    return [
        replace(q, previous=p.text)
        for p, q in pairs
        if p is not None and q.kind != "follow_up" and p.expect != q.expect
    ]


def _report_after_another(index: Searcher, questions: list[Question], threshold: float) -> None:
    after = _after_another(questions)
    if not after:
        return
    chosen = [(q, _best(index, q, threshold)) for q in after]
    answers = [(q, slug if score >= threshold else None) for q, (slug, score) in chosen]
    answerable = [(q, a) for q, a in answers if q.expect]
    unanswerable = [(q, a) for q, a in answers if not q.expect]
    right = sum(a == q.expect for q, a in answerable)
    idk = sum(a is None for _q, a in unanswerable)
    wrong = sum(a is not None and a != q.expect for q, a in answers)
    print(
        f"  asked after another question (the row before): right article {right}/"
        f'{len(answerable)}, right "I don\'t know" {idk}/{len(unanswerable)}, confident '
        f"wrong {wrong}/{len(answers)}"
    )


SAMPLE = 300  # passages and titles encoded for real to time the encoder


def _generated(count: int, seed: int = 7) -> list[IndexedArticle]:
    rng = random.Random(seed)
    vocabulary = " ".join(a.body for a in _articles(DEMO / "knowledge")).split()
    articles = []
    for i in range(count):
        body = "\n\n".join(" ".join(rng.choices(vocabulary, k=40)) for _ in range(10))
        title = " ".join(rng.choices(vocabulary, k=6))
        articles.append(indexed(f"a{i}", title, (), body))
    return articles


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(int(len(ordered) * 0.95), len(ordered) - 1)]
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms"


def _stored(
    encoder: SentenceEncoder, articles: list[IndexedArticle]
) -> tuple[dict[str, NDArray[np.float32]], float]:
    """Vectors for every text of the articles, as an import stores them, and the seconds one
    passage takes to encode. A sample is encoded for real; the rest reuse its vectors (E5
    would take hours), so the search runs on real-shaped vectors."""
    texts = dense_texts(articles)
    keys = list(texts)
    passages = [k for k in keys if texts[k][0] == "passage"][:SAMPLE]
    started = time.perf_counter()
    sample = encode_texts(encoder, [texts[k] for k in passages])
    each = (time.perf_counter() - started) / max(len(passages), 1)
    stored = {key: sample[i % len(sample)] for i, key in enumerate(keys)}
    return stored, each


def _scale(encoder: SentenceEncoder) -> None:
    """Search latency, build and update times at 10,000 generated articles (~100,000 passages)."""
    articles = _generated(10_000)
    stored, each = _stored(encoder, articles)
    started = time.perf_counter()
    index = RetrievalIndex(articles, encoder=encoder, stored=stored)
    build = time.perf_counter() - started
    questions = [q.text for q in _demo_questions()][:100]
    encoding = []
    for q in questions:  # the question's vector, as each search computes it first
        began = time.perf_counter()
        encoder.encode([q])
        encoding.append((time.perf_counter() - began) * 1000)
    retrieval = []
    for q in questions:  # the same questions again: their vectors are cached now
        began = time.perf_counter()
        index.search(q, limit=10)
        retrieval.append((time.perf_counter() - began) * 1000)
    total = [a + b for a, b in zip(encoding, retrieval, strict=True)]
    edited = list(articles)
    edited[0] = indexed("a0", articles[0].title, (), articles[0].body + "\n\nOne more line.")
    started = time.perf_counter()
    updated = RetrievalIndex(edited, encoder=encoder, stored=stored)
    update = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nScale: {len(articles)} articles, {len(index)} passages")
    print(f"  encoding with {encoder.name}: {each * 1000:.0f} ms per passage, about "
          f"{each * len(stored) / 60:.0f} min for all, once: vectors are stored on import "
          "and shared by every process")  # fmt: skip
    print(f"  build from stored vectors {build:.0f} s; after one article changed "
          f"{update:.0f} s ({len(updated.encoded)} texts encoded)")  # fmt: skip
    print(f"  question encoding {_percentiles(encoding)}")
    print(f"  retrieval given the question's vector {_percentiles(retrieval)} "
          "(target p95 <= 20 ms)")  # fmt: skip
    print(f"  whole search {_percentiles(total)}")
    print(f"  max resident memory {rss:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument(
        "--only",
        choices=("demo", "blind", "studied", "latest", "scale"),
        help="Run only these sets (latest: the newest blind set; studied: every set but that "
        "one, for choosing between models without looking at it), or only the scale.",
    )
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
        (
            "Lumo Mobile (blind v2, aggregates seen)",
            BLIND_V2 / "knowledge",
            _jsonl_questions(BLIND_V2),
        ),
        (
            "Fernwood Fitness (blind v3, aggregates seen)",
            BLIND_V3 / "knowledge",
            _jsonl_questions(BLIND_V3),
        ),
        (
            "Brightwave Energy (blind v4, aggregates seen)",
            BLIND_V4 / "knowledge",
            _jsonl_questions(BLIND_V4),
        ),
        (
            "Northpeak Fitness (blind v5, aggregates seen)",
            BLIND_V5 / "knowledge",
            _jsonl_questions(BLIND_V5),
        ),
        (
            "Tessel Drive (blind v6, failures studied: a development set)",
            BLIND_V6 / "knowledge",
            _jsonl_questions(BLIND_V6),
        ),
        (
            "Brindle & Co (blind v7, aggregates seen)",
            BLIND_V7 / "knowledge",
            _jsonl_questions(BLIND_V7),
        ),
        (
            "Kestrel Fix (blind v8, aggregates seen)",
            BLIND_V8 / "knowledge",
            _jsonl_questions(BLIND_V8),
        ),
        (
            "Larkway (blind v9, aggregates seen)",
            BLIND_V9 / "knowledge",
            _jsonl_questions(BLIND_V9),
        ),
        (
            "Boxhaven (blind v10, aggregates seen)",
            BLIND_V10 / "knowledge",
            _jsonl_questions(BLIND_V10),
        ),
        ("Nestwell (blind v11)", BLIND_V11 / "knowledge", _jsonl_questions(BLIND_V11)),
        (
            "Pedalo (blind v12, aggregates seen)",
            BLIND_V12 / "knowledge",
            _jsonl_questions(BLIND_V12),
        ),
        ("Kestrel Vets (blind v13)", BLIND_V13 / "knowledge", _jsonl_questions(BLIND_V13)),
    )
    for label, folder, questions in sets:
        if args.only == "latest" and label != sets[-1][0]:
            continue
        if args.only == "studied" and label == sets[-1][0]:
            continue
        if args.only == "scale" or (
            args.only in ("demo", "blind") and (args.only == "blind") != ("blind" in label)
        ):
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
