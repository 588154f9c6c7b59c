"""How fast and how big the turn reader is: read latency, resident memory, install size.

Loads the shipped reader (encoders + signal heads) as a worker does, reads every message of the
signal corpus one at a time with the two messages before it as history (a real turn), and
prints the median and 95th percentile per read, the process's resident memory, and the size of
the installed packages (and whether any CUDA library is among them). The shipped reader blends
heads over E5 with its USE heads, so a read encodes the message with E5 too; in a bot turn the
knowledge search has encoded it already and the read finds that vector in the encoder's cache:
the second figure measures that, on messages not read before. `--heads DIR` measures another
heads folder (one without `companion/` reads through USE alone).

Usage: .venv/bin/python benchmarks/understanding.py [--limit N] [--heads DIR]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import sysconfig
import time
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tandem.nlu.encoder import DEFAULT_ENCODER
from tandem.nlu.heads import SHIPPED, prepare
from tandem.nlu.heads_training import load_corpus
from tandem.nlu.reading import Reader, load_reader


def _size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def _default_install() -> tuple[float, list[str]]:
    """Return the size in MB of Tandem's default install (no extras) and its distributions."""
    seen: dict[str, metadata.Distribution] = {}
    todo = ["tandem"]
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[name] = dist
        for requirement in map(Requirement, dist.requires or []):
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    total = 0
    for dist in seen.values():
        for file in dist.files or []:
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6, sorted(seen)


def _timed_reads(reader: Reader, texts: list[str], *, search: bool = False) -> list[float]:
    """Read each text with the two before it as history; return sorted times in ms."""
    timings: list[float] = []
    for i, text in enumerate(texts):
        earlier = texts[max(0, i - 2) : i]
        if search and reader.companion:
            reader.companion[1].encode([prepare(text)])  # what the knowledge search does
        began = time.perf_counter()
        reader.read(text, earlier=earlier)
        timings.append((time.perf_counter() - began) * 1000)
    return sorted(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--heads", type=Path, default=SHIPPED, help="a heads folder to measure")
    args = parser.parse_args()
    limit = args.limit
    started = time.perf_counter()
    reader = load_reader(DEFAULT_ENCODER, args.heads)
    load_seconds = time.perf_counter() - started
    corpus = [e.text for e in load_corpus()]
    texts, unseen = corpus[:limit], corpus[limit : 2 * limit]
    timings = _timed_reads(reader, texts)
    # In a bot turn the knowledge search encodes the message with E5 first; the companion
    # heads then find its vector in the encoder's cache. Measured on messages not read yet.
    searched = _timed_reads(reader, unseen, search=True) if reader.companion else []
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    site = Path(sysconfig.get_paths()["purelib"])
    cuda = sorted(p.name for p in site.iterdir() if p.name.startswith(("nvidia", "cuda", "torch")))
    companion = reader.companion[1].name if reader.companion else "none"
    print(f"encoder of whole messages: {reader.message_encoder.name}, blended with "
          f"{companion}; of their parts: {reader.encoder.name}; "
          f"heads: {len(reader.heads.labels)} signals")  # fmt: skip
    print(f"load (encoder + heads + examples): {load_seconds:.2f} s")
    print(f"reads: {len(timings)} turns (each with the two messages before it as history)")
    print(f"read a turn: median {statistics.median(timings):.1f} ms, "
          f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms (target p95 <= 15 ms)")  # fmt: skip
    if searched:
        print(f"read a turn after the knowledge search encoded it ({len(searched)} others): "
              f"median {statistics.median(searched):.1f} ms, "
              f"p95 {searched[int(len(searched) * 0.95)]:.1f} ms")  # fmt: skip
    print(f"resident memory (max RSS of this process): {rss_mb:.0f} MB (target <= 800 MB)")
    size, names = _default_install()
    print(f"default install (tandem and its dependencies, no extras): {size:.0f} MB "
          f"in {len(names)} distributions")  # fmt: skip
    print(f"this environment's packages, dev tools included ({site}): {_size_mb(site):.0f} MB")
    print(f"CUDA or torch packages installed: {', '.join(cuda) if cuda else 'none'}")
    print(f"python: {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
