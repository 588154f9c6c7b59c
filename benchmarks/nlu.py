"""Understanding quality on Tandem's own labelled data: intents, out-of-scope, emotion signals.

For each dataset, trains on its train.csv exactly as `tandem nlu train` does, saves and
reloads the model, and evaluates it on the separately written test.csv. Then a few-shot run
(10 examples per label, drawn with a fixed seed) checks that the method holds up with little
data. Two datasets by default:

- demo: the demo shop's intents (src/tandem/demo/nlu), which the method was developed on;
- telco: a phone and broadband provider (benchmarks/data/telco_intents), written later by
  someone else and never tuned on: the check that the method generalises.

Finally the emotion detectors are scored against three labelled sets: emotion.jsonl and
emotion_heldout.jsonl (written before the first and second round of changes, both studied
since) and emotion_test.jsonl (written before the second round and never tuned on).

Usage: .venv/bin/python benchmarks/nlu.py [--mode all|light|embeddings]
       [--data demo|telco|DIR ...] [--json]
("all" runs light, then embeddings when the extra is installed.)
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from tandem.nlu.heads import Signal
from tandem.nlu.intents.artefact import load_model, save_model
from tandem.nlu.intents.data import Dataset, load_eval_examples, load_examples
from tandem.nlu.intents.encoders import encoder_available
from tandem.nlu.intents.evaluate import evaluate, render
from tandem.nlu.intents.training import Mode, TrainingConfig, train
from tandem.nlu.reading import Reading, load_reader

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "tandem" / "demo" / "nlu"
DATASETS = {"demo": DATA, "telco": ROOT / "benchmarks" / "data" / "telco_intents"}
EMOTION_SETS = ("emotion.jsonl", "emotion_heldout.jsonl", "emotion_test.jsonl")
SIGNALS = ("negative", "anger", "distress", "complaint", "abuse")
FEW_SHOT = 10
SEED = 13


def _predicted(reading: Reading, signal: str) -> bool:
    """Read one of the emotion sets' labels off a reading ("negative": any negative feeling)."""
    if signal == "negative":
        return reading.negative or reading.sentiment <= -0.3
    return reading.finding(Signal(signal)) is not None


def run_intents(train_set: Dataset, test_set: Dataset, mode: Mode) -> dict[str, object]:
    """Train, save, reload and evaluate; return the eval figures plus training time."""
    started = time.perf_counter()
    model = train(train_set, config=TrainingConfig(seed=SEED), mode=mode)
    training_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        save_model(model, Path(folder))
        loaded = load_model(Path(folder))
        evaluation = evaluate(loaded, test_set, load_seconds=cold_load_seconds(Path(folder)))
    print(render(evaluation))
    print(f"training time       {training_seconds:.1f} s")
    print(f"threshold           {loaded.threshold:.3f} ({loaded.info.get('threshold_rule')})")
    return evaluation.as_json() | {"training_seconds": round(training_seconds, 2)}


def cold_load_seconds(folder: Path) -> float:
    """Return how long loading the model takes in a fresh process, as `tandem nlu eval` does."""
    script = (
        "import time; from pathlib import Path; from tandem.nlu.intents import load_model\n"
        f"started = time.perf_counter(); load_model(Path({str(folder)!r}))\n"
        "print(time.perf_counter() - started)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip().splitlines()[-1])


def few_shot(dataset: Dataset, per_label: int) -> Dataset:
    """Return at most per_label examples of every label, drawn with a fixed seed."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, example in enumerate(dataset.examples):
        by_label[example.intent].append(index)
    rng = random.Random(SEED)
    chosen = sorted(
        i for rows in by_label.values() for i in rng.sample(rows, min(per_label, len(rows)))
    )
    return Dataset(tuple(dataset.examples[i] for i in chosen), oos_label=dataset.oos_label)


def run_emotion(path: Path) -> dict[str, dict[str, float | int]]:
    """Score the emotion detectors against labelled messages: precision and recall per signal."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    counts = {signal: {"tp": 0, "fp": 0, "fn": 0} for signal in SIGNALS}
    reader = load_reader()
    for row in rows:
        reading = reader.read(row["text"])
        for signal in SIGNALS:
            predicted, expected = _predicted(reading, signal), bool(row[signal])
            if predicted and expected:
                counts[signal]["tp"] += 1
            elif predicted:
                counts[signal]["fp"] += 1
            elif expected:
                counts[signal]["fn"] += 1
    table: dict[str, dict[str, float | int]] = {}
    print(f"\nEmotion signals on {len(rows)} labelled messages ({path.name})")
    print(f"{'signal':<10} {'support':>7} {'precision':>9} {'recall':>7} {'F1':>6}")
    for signal, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        support = c["tp"] + c["fn"]
        table[signal] = {
            "support": support,
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
        }
        print(f"{signal:<10} {support:>7} {precision:>9.2f} {recall:>7.2f} {f1:>6.2f}")
    return table


def main(mode: str, datasets: list[str], as_json: bool) -> None:
    modes: list[Mode] = ["light", "embeddings"] if mode == "all" else [mode]  # type: ignore[list-item]
    if mode == "all" and not encoder_available():
        modes = ["light"]
        print("(embeddings extra not installed: light mode only)")
    results: dict[str, object] = {}
    for name in datasets:
        folder = DATASETS.get(name, Path(name))
        train_set = load_examples(folder / "train.csv")
        test_set = load_eval_examples(folder / "test.csv")
        for current in modes:
            print(
                f"\n== {name}, {current} mode: {len(train_set.examples)} training examples, "
                f"{len(test_set.examples)} test examples"
            )
            results[f"{name}_{current}"] = run_intents(train_set, test_set, current)
            shots = few_shot(train_set, FEW_SHOT)
            print(
                f"\n== {name}, {current} mode, few-shot: {FEW_SHOT} examples per label "
                f"({len(shots.examples)} in all)"
            )
            results[f"{name}_{current}_few_shot"] = run_intents(shots, test_set, current)
    for emotion_set in EMOTION_SETS:
        results[emotion_set.removesuffix(".jsonl")] = run_emotion(DATA / emotion_set)
    if as_json:
        print(json.dumps(results))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("all", "light", "embeddings"), default="all")
    parser.add_argument(
        "--data",
        action="append",
        help="demo, telco or a folder with train.csv and test.csv (repeatable; default: both)",
    )
    parser.add_argument("--json", action="store_true", help="also print one JSON object")
    arguments = parser.parse_args()
    main(arguments.mode, arguments.data or list(DATASETS), arguments.json)
