"""Staffing a week of 30-minute intervals (336 computations), and the published example.

Times the agents-needed search for every interval of a week with a contact centre's daily and
weekly shape, with Erlang C and with Erlang A, at a shop's volume and at a large centre's
(up to 1,000 Erlangs). Prints medians over repeated runs, then the worked example and its
discrete-event simulation cross-check.
Usage: .venv/bin/python benchmarks/staffing.py [--repeat 21]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

from tandem.workforce.erlang import Load, Target, staff
from tandem.workforce.simulation import simulate

INTERVAL_SECONDS = 1800
AHT_SECONDS = 300
TARGET = Target(level=0.8, seconds=60)
DAY_WEIGHT = (1.0, 0.95, 0.9, 0.9, 0.85, 0.55, 0.45)  # Monday .. Sunday


def week_of_contacts(peak: float) -> list[float]:
    """Return 336 interval volumes: quiet nights, a morning and an afternoon peak."""
    volumes = []
    for day in range(7):
        for slot in range(48):
            hour = slot / 2
            morning = math.exp(-(((hour - 10.5) / 2.2) ** 2))
            afternoon = 0.8 * math.exp(-(((hour - 15) / 2.5) ** 2))
            volumes.append(peak * DAY_WEIGHT[day] * (0.03 + morning + afternoon))
    return volumes


def run(volumes: list[float], patience: float | None) -> tuple[float, int]:
    started = time.perf_counter()
    agent_intervals = 0
    for contacts in volumes:
        result = staff(
            Load(contacts, INTERVAL_SECONDS, AHT_SECONDS),
            TARGET,
            shrinkage=0.3,
            patience_seconds=patience,
        )
        agent_intervals += result.agents_with_shrinkage
    return time.perf_counter() - started, agent_intervals


def report(name: str, volumes: list[float], patience: float | None, repeat: int) -> None:
    timings = []
    agent_intervals = 0
    for _ in range(repeat):
        seconds, agent_intervals = run(volumes, patience)
        timings.append(seconds * 1000)
    peak_erlangs = max(volumes) * AHT_SECONDS / INTERVAL_SECONDS
    print(
        f"{name:<34} peak {peak_erlangs:7.1f} Erlangs  "
        f"median {statistics.median(timings):7.1f} ms  max {max(timings):7.1f} ms  "
        f"({agent_intervals / 2:,.0f} scheduled agent-hours)"
    )


def main(repeat: int) -> None:
    print(f"A week of 30-minute intervals: {7 * 48} computations per run, {repeat} runs")
    shop, centre = week_of_contacts(40), week_of_contacts(6000)
    report("Erlang C, shop volume", shop, None, repeat)
    report("Erlang A (patience 120 s), shop", shop, 120.0, repeat)
    report("Erlang C, large centre", centre, None, repeat)
    report("Erlang A (patience 120 s), large", centre, 120.0, repeat)

    example = Load(contacts=100, interval_seconds=1800, aht_seconds=180)
    result = staff(example, Target(0.8, 20), shrinkage=0.3)
    print(
        "\nPublished example (100 contacts / 30 min, AHT 180 s, 80% in 20 s, 30% shrinkage): "
        f"{result.agents} agents, {result.agents_with_shrinkage} with shrinkage, "
        f"service level {result.performance.service_level:.4f}, "
        f"P(wait) {result.performance.probability_of_waiting:.4f}, "
        f"ASA {result.performance.asa_seconds:.2f} s"
    )
    started = time.perf_counter()
    simulated = simulate(example, result.agents, target_seconds=20, contacts=1_000_000)
    difference = simulated.service_level - result.performance.service_level
    print(
        f"Simulation, {simulated.contacts:,} contacts: service level "
        f"{simulated.service_level:.4f} ({difference * 100:+.2f} points), "
        f"{time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=21)
    main(parser.parse_args().repeat)
