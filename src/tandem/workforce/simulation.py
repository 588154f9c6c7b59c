"""A discrete-event simulation of the queue Erlang C and A describe, to cross-check them. Pure.

Contacts arrive as a Poisson stream and are served first come, first served by ``agents``
agents; with a mean patience, each contact gives up if its wait exceeds an exponential patience.
Arrivals are processed in time order and each agent's next free moment sits on a heap, so the
next event for a contact is always "the earliest agent frees up". A contact that gives up never
reaches an agent, so it does not delay anyone behind it. Seeded: the same inputs give the same
figures.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass

from tandem.workforce.erlang import Load


@dataclass(frozen=True, slots=True)
class SimulatedPerformance:
    contacts: int  # counted after the warm-up
    service_level: float
    probability_of_waiting: float
    abandonment: float
    asa_seconds: float


def simulate(
    load: Load,
    agents: int,
    *,
    target_seconds: float,
    patience_seconds: float | None = None,
    contacts: int = 200_000,
    warmup: int = 5_000,
    seed: int = 1,
) -> SimulatedPerformance:
    """Simulate ``contacts`` arrivals and measure what ``agents`` achieve after a warm-up."""
    if agents < 1 or contacts < 1:
        raise ValueError("simulate at least one agent and one contact")
    rng = random.Random(seed)  # noqa: S311 - a simulation, not security
    rate = load.arrival_rate
    if rate <= 0:
        raise ValueError("the simulation needs contacts to arrive")
    mean_service = load.aht_seconds
    free_at = [0.0] * agents  # a heap of the moments each agent becomes free
    now = 0.0
    counted = in_time = waited = abandoned = 0
    answered_wait = 0.0
    for number in range(warmup + contacts):
        now += rng.expovariate(rate)
        wait = max(0.0, free_at[0] - now)
        patience = rng.expovariate(1.0 / patience_seconds) if patience_seconds else None
        gives_up = patience is not None and patience < wait
        if not gives_up:
            heapq.heapreplace(free_at, now + wait + rng.expovariate(1.0 / mean_service))
        if number < warmup:
            continue
        counted += 1
        waited += wait > 0
        if gives_up:
            abandoned += 1
            continue
        answered_wait += wait
        in_time += wait <= target_seconds
    answered = counted - abandoned
    return SimulatedPerformance(
        contacts=counted,
        service_level=in_time / counted,
        probability_of_waiting=waited / counted,
        abandonment=abandoned / counted,
        asa_seconds=answered_wait / answered if answered else float("inf"),
    )
