"""How many secrets does redaction catch, and how often does it remove something else?

Reads labelled messages, one JSON object a line:

    {"id": "m1", "lang": "en", "text": "my pw is Tulip#24",
     "spans": [{"start": 9, "end": 17, "kind": "password"}]}

with kind one of card, iban, password, code, runs `find_secrets` on each text and prints:

- recall per kind: a labelled span is found when a redaction of the same kind covers it
  entirely (target overall: at least 99.5%);
- false redactions: the share of messages with a redaction that overlaps no labelled span
  (target: at most 1%), with the false redactions counted by kind and a few examples;
- the median and 95th percentile time per message, in microseconds.

Usage: .venv/bin/python benchmarks/redaction.py [--data FILE] [--examples N]
The default data is `benchmarks/data/redaction_v2/messages.jsonl`, written blind on 2026-12-04
(run twice since). `benchmarks/data/redaction_v3/` (national identity numbers, written blind
on 2026-12-05) had its misses studied after its first run. The first set
(`benchmarks/data/redaction/`) was studied to improve the redactor. `redaction_v4/` (all five
kinds, written blind on 2026-12-05) has been run twice (the same figures); its misses have
not been read; it was run again with the password model (2026-12-06), rows still unread.
`redaction_v5/` (all five kinds, written blind on 2026-12-06, weighted towards passwords and
codes) and `redaction_v6/` (passwords and codes) were run once each with the password model,
then became training data of the code model (`tandem privacy train-codes`), like v4; their
rows have not been read. `redaction_v7/` (one-time codes and their look-alikes, written blind on
2026-12-06) was run once, with the code model; since then both models learn from v1 to v7.
`redaction_v8/` (passwords and codes, mostly unannounced, written blind on 2026-12-06) was run
once, with the previous and the retrained models, then became training data of both models.
`redaction_v9/` (400 messages: cards in many formats, IBANs, passwords, codes and 130
look-alikes; written blind on 2026-12-06) was run once, with the previous models and with the
password model that reads the words around a word (both models trained on v1 to v8); its two
missed cards were then read and mended, so it is no longer blind. `redaction_v10/` (400
messages: 70 cards, 30 IBANs, 110 passwords, 71 codes, 151 look-alike messages; written blind
on 2026-12-06 by an author who read only v9's README) was run once, before and after the
password model read words glued to Chinese text and kept a trailing "!" (2026-12-06); it then
became training data of both models. `redaction_v11/` (400 messages: 70 cards, 30 IBANs, 112
passwords, 72 codes, 151 look-alike messages; written blind on 2026-12-06 by an author who read
only v10's README) was run once, with the models trained on v1 to v8 and on v1 to v10; its
misses were read on 2026-12-07 and mended, and it became training data of both models.
`redaction_v12/` (400 messages: 70 cards, 30 IBANs, 117 passwords, 72 codes, 151 look-alike
messages; written blind on 2026-12-07 by an author who read only v11's README) was run once,
with the previous rules and models and with the mended ones; its misses were then read and
it became training data of both models. `redaction_v13/` (400 messages: 70 cards, 30 IBANs,
110 passwords, 72 codes, 151 look-alike messages; written blind on 2026-12-07 by an author who
read only v12's README) was run once, with the models of v1 to v11 and of v1 to v12; its
misses were then read and it became training data of both models. `redaction_v14/` (400
messages: 70 cards, 30 IBANs, 109 passwords, 71 codes, 151 look-alike messages; written blind
on 2026-12-07 by an author who read only v13's README) was run with the previous and the new
rules and models (and once more after two guards); its misses were then read and it became
training data of both models. `redaction_v15/` (400 messages: 70 cards, 30 IBANs, 122
passwords, 70 codes, 150 look-alike messages; written blind on 2026-12-07 by an author who read
only v14's README) was run once, with the models of v1 to v13 and of v1 to v14; its misses
were then read and it became training data of both models. `redaction_v16/` (400 messages: 70
cards, 30 IBANs, 122 passwords, 70 codes, 150 look-alike messages; written blind on 2026-12-07
by an author who read only v15's README) was run once, with the models of v1 to v14 and with
those of v1 to v15 (the code model reading the sentence around a run); its misses were read on
2026-12-07 (PINs removed as codes, a Diners Club card, a card after "on my phone") and it
became training data of the three models. `redaction_v17/` (400 messages, written blind on
2026-12-07 by an author who read only v16's README) was run once with the models of v1 to v15
and once with the PIN model and the models of v1 to v16; its misses were then read (codes after
"phone", cards typed in two halves, a Chinese sentence removed whole) and it became training
data of the three models. `redaction_v18/` (400 messages, written blind on 2026-12-07 by an
author who read only v17's README) was run three times, with the models at the session's start,
with the PIN model and with v17's mends; its misses were then read (not yet mended).
`redaction_v19/` (400 messages, written blind on 2026-12-07 by an author who read only v18's
README) was run once with the shipped models and once with models retrained on v1 to v18 (the
same figures); its rows have not been read. `redaction_v20/` (400 messages, an author who read
only v19's README) is written blind and has not been run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tandem.privacy.redaction import Redaction, SecretKind, find_secrets

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "benchmarks" / "data" / "redaction_v2" / "messages.jsonl"
RECALL_TARGET = 0.995
FALSE_REDACTION_TARGET = 0.01


@dataclass(frozen=True, slots=True)
class Span:
    kind: str  # one of SecretKind; another kind is kept for overlaps but not scored
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    lang: str
    text: str
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    message: Message
    found: tuple[Span, ...]  # labelled spans covered by a redaction of their kind
    false: tuple[Redaction, ...]  # redactions overlapping no labelled span
    microseconds: float
    cvvs: int = 0  # card security codes removed (scored apart: see ``evaluate``)
    removed: tuple[Span, ...] = ()  # labelled spans covered by a redaction of any kind


def read_messages(path: Path) -> list[Message]:
    """Return the labelled messages of a JSONL file; blank lines are skipped."""
    messages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            messages.append(_message(line, path=path, number=number))
    return messages


def _message(line: str, *, path: Path, number: int) -> Message:
    try:
        raw = json.loads(line)
        if not isinstance(raw["text"], str):
            raise TypeError("text is not a string")
        spans = tuple(
            Span(str(s["kind"]).lower(), int(s["start"]), int(s["end"])) for s in raw["spans"]
        )
        return Message(str(raw.get("id", number)), str(raw.get("lang", "?")), raw["text"], spans)
    except (ValueError, KeyError, TypeError) as error:
        raise SystemExit(
            f"{path}:{number}: not a labelled message ({error!r}); expected "
            '{"id", "lang", "text", "spans": [{"start", "end", "kind"}]} with kind one of '
            f"{', '.join(SecretKind)}"
        ) from error


def evaluate(message: Message) -> Outcome:
    """Redact one message and compare the redactions with its labels."""
    started = time.perf_counter()
    redactions = find_secrets(message.text)
    elapsed = (time.perf_counter() - started) * 1e6
    found = tuple(
        span
        for span in message.spans
        if any(
            _same_kind(r.kind, span.kind) and r.start <= span.start and span.end <= r.end
            for r in redactions
        )
    )
    # A labelled card security code ("cvv 123") is removed on purpose (PCI DSS forbids storing
    # it) though sets may not label it: counted apart, not as a false redaction.
    false = tuple(
        r
        for r in redactions
        if r.kind is not SecretKind.CVV
        and not any(r.start < s.end and s.start < r.end for s in message.spans)
    )
    cvvs = sum(1 for r in redactions if r.kind is SecretKind.CVV)
    removed = tuple(
        span
        for span in message.spans
        if any(r.start <= span.start and span.end <= r.end for r in redactions)
    )
    return Outcome(message, found, false, elapsed, cvvs, removed)


def _same_kind(found: SecretKind, labelled: str) -> bool:
    return found == labelled or (found is SecretKind.CVV and labelled == SecretKind.CODE)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:6.2f}%" if whole else "     -"


def report(outcomes: list[Outcome], *, examples: int) -> bool:
    """Print the figures; return whether both targets are met."""
    recall = _print_recall(outcomes)
    false_rate = _print_false_redactions(outcomes)
    times = sorted(o.microseconds for o in outcomes)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"\ntime per message: median {statistics.median(times):.0f} µs, p95 {p95:.0f} µs")
    _print_examples(outcomes, examples=examples)
    return recall >= RECALL_TARGET and false_rate <= FALSE_REDACTION_TARGET


def _print_recall(outcomes: list[Outcome]) -> float:
    kinds = set(SecretKind) - {SecretKind.CVV}
    labelled = Counter(s.kind for o in outcomes for s in o.message.spans if s.kind in kinds)
    found = Counter(s.kind for o in outcomes for s in o.found)
    print(f"{len(outcomes)} messages, {labelled.total()} labelled secrets\n")
    print(f"{'kind':<10}{'labelled':>10}{'found':>8}{'recall':>10}")
    for kind in sorted(kinds, key=list(SecretKind).index):
        share = percent(found[kind], labelled[kind])
        print(f"{kind:<10}{labelled[kind]:>10}{found[kind]:>8}  {share}")
    total, hits = labelled.total(), found.total()
    target = f"(target >= {RECALL_TARGET:.1%})"
    print(f"{'overall':<10}{total:>10}{hits:>8}  {percent(hits, total)}   {target}")
    removed = sum(1 for o in outcomes for s in o.removed if s.kind in kinds)
    print(
        f"removed under any kind: {removed} of {total} = {percent(removed, total).strip()} "
        "(the recall above also needs the kind the agent is told, such as PIN or code)"
    )
    others = Counter(s.kind for o in outcomes for s in o.message.spans if s.kind not in kinds)
    if others:
        print(f"other labels, not scored (they still excuse overlapping redactions): {others}")
    return hits / total if total else 1.0


def _print_false_redactions(outcomes: list[Outcome]) -> float:
    flagged = sum(1 for o in outcomes if o.false)
    by_kind = Counter(r.kind.value for o in outcomes for r in o.false)
    share = percent(flagged, len(outcomes)).strip()
    target = f"(target <= {FALSE_REDACTION_TARGET:.0%})"
    print(f"\nmessages with a false redaction: {flagged} of {len(outcomes)} = {share}   {target}")
    print(f"false redactions by kind: {dict(by_kind) or 'none'}")
    cvvs = sum(o.cvvs for o in outcomes)
    print(
        f"card security codes removed: {cvvs} (labelled 'cvv' and the like; removed on purpose, "
        "as PCI DSS forbids storing them, so not counted as false redactions)"
    )
    return flagged / len(outcomes)


def _print_examples(outcomes: list[Outcome], *, examples: int) -> None:
    missed = [
        (o, s)
        for o in outcomes
        for s in o.message.spans
        if s.kind in set(SecretKind) and s not in o.found
    ]
    if examples and missed:
        print("\nmissed (id, lang, kind, labelled text):")
        for outcome, span in missed[:examples]:
            secret = outcome.message.text[span.start : span.end]
            print(f"  {outcome.message.id} {outcome.message.lang} {span.kind}: {secret!r}")
    false = [(o, r) for o in outcomes for r in o.false]
    if examples and false:
        print("\nfalse redactions (id, lang, kind, removed text):")
        for outcome, redaction in false[:examples]:
            removed = outcome.message.text[redaction.start : redaction.end]
            print(f"  {outcome.message.id} {outcome.message.lang} {redaction.kind}: {removed!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled JSONL file")
    parser.add_argument(
        "--examples", type=int, default=0, help="print up to N misses and false redactions"
    )
    args = parser.parse_args()
    if not args.data.is_file():
        raise SystemExit(f"{args.data}: no such file; pass a labelled JSONL file with --data FILE")
    messages = read_messages(args.data)
    if not messages:
        raise SystemExit(f"{args.data}: no messages; add one labelled message a line")
    find_secrets("warm up: load the phrases before timing")
    met = report([evaluate(m) for m in messages], examples=args.examples)
    print(f"\nboth targets met: {'yes' if met else 'no'}")


if __name__ == "__main__":
    main()
