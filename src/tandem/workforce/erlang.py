"""Erlang C and Erlang A: service level, waiting and the agents an interval needs. Pure.

Erlang C is the M/M/N queue (customers wait as long as it takes); Erlang A (Palm's queue,
M/M/N+M) adds exponential patience, so some customers abandon. Both assume Poisson arrivals and
exponential handle times, as every workforce tool that quotes them does.

Numerics: nothing here forms ``A**N`` or ``N!``. Erlang B comes from its recursion carried on
``log B``; Erlang A's infinite sums are summed in log space with the largest term factored out,
and its "answered within T" term uses the incomplete beta function written as a negative
binomial tail, whose terms are also built in log space. Results stay finite and accurate for
loads of thousands of Erlangs (checked in the tests against exact rational arithmetic).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# A term this many e-folds below the largest one cannot change a double-precision sum.
_NEGLIGIBLE = 50.0
_MAX_SERIES_TERMS = 5_000_000


@dataclass(frozen=True, slots=True)
class Load:
    """The work arriving in one interval."""

    contacts: float
    interval_seconds: float
    aht_seconds: float

    def __post_init__(self) -> None:
        if self.contacts < 0:
            raise ValueError("contacts cannot be negative")
        if self.interval_seconds <= 0 or self.aht_seconds <= 0:
            raise ValueError("the interval and the handle time must be positive")

    @property
    def traffic(self) -> float:
        """Offered load in Erlangs: how many agents would be busy all the time."""
        return self.contacts * self.aht_seconds / self.interval_seconds

    @property
    def arrival_rate(self) -> float:
        """Contacts per second."""
        return self.contacts / self.interval_seconds


@dataclass(frozen=True, slots=True)
class Target:
    """A service-level target: ``level`` of contacts answered within ``seconds``."""

    level: float
    seconds: float

    def __post_init__(self) -> None:
        if not 0 < self.level < 1:
            raise ValueError("the target level must be between 0 and 1 (exclusive), e.g. 0.8")
        if self.seconds < 0:
            raise ValueError("the target time cannot be negative")


@dataclass(frozen=True, slots=True)
class Performance:
    """What ``agents`` agents achieve on a load.

    ``service_level`` is the share of all arriving contacts answered within the target time
    (with abandonment, a customer who gives up is never counted as answered). ``asa_seconds``
    is the mean wait of answered contacts, infinite when the queue grows without bound.
    """

    agents: int
    service_level: float
    probability_of_waiting: float
    asa_seconds: float
    abandonment: float
    occupancy: float


@dataclass(frozen=True, slots=True)
class Staffing:
    """Agents needed on the floor, and on the schedule once shrinkage is allowed for."""

    performance: Performance
    agents_with_shrinkage: int
    traffic: float

    @property
    def agents(self) -> int:
        return self.performance.agents


def log_erlang_b(agents: int, traffic: float) -> float:
    """Return ``log B(agents, traffic)``, the Erlang B blocking probability, in log space."""
    if agents < 0 or traffic < 0:
        raise ValueError("agents and traffic cannot be negative")
    if agents == 0:
        return 0.0
    if traffic == 0:
        return -math.inf
    log_a = math.log(traffic)
    log_b = 0.0
    for n in range(1, agents + 1):
        # B(n) = A·B(n-1) / (n + A·B(n-1)); every B stays in [0, 1], so nothing overflows.
        log_b = log_a + log_b - math.log(n + traffic * math.exp(log_b))
    return log_b


def erlang_b(agents: int, traffic: float) -> float:
    """Return the Erlang B blocking probability."""
    return math.exp(log_erlang_b(agents, traffic))


def _erlang_c_from_b(agents: int, traffic: float, blocking: float) -> float:
    if agents <= traffic:
        return 1.0
    return agents * blocking / (agents - traffic * (1.0 - blocking))


def erlang_c(agents: int, traffic: float) -> float:
    """Return the Erlang C probability that a contact waits (1 when ``agents <= traffic``)."""
    return _erlang_c_from_b(agents, traffic, erlang_b(agents, traffic))


def _performance_c(agents: int, load: Load, target_seconds: float, blocking: float) -> Performance:
    traffic = load.traffic
    if agents <= traffic:
        return Performance(agents, 0.0, 1.0, math.inf, 0.0, 1.0)
    waiting = _erlang_c_from_b(agents, traffic, blocking)
    spare = agents - traffic
    service_level = 1.0 - waiting * math.exp(-spare * target_seconds / load.aht_seconds)
    return Performance(
        agents=agents,
        service_level=max(0.0, service_level),
        probability_of_waiting=waiting,
        asa_seconds=waiting * load.aht_seconds / spare,
        abandonment=0.0,
        occupancy=traffic / agents,
    )


def _logsumexp(values: list[float]) -> float:
    top = max(values)
    return top + math.log(math.fsum(math.exp(v - top) for v in values))


def _queue_weights(x: float, y: float) -> list[float]:
    """Return ``log w_j`` with ``w_j = y^j / ((x+1)(x+2)…(x+j))``, until the tail is negligible.

    ``w_j`` is proportional to the chance that an arriving customer finds ``j`` others waiting.
    """
    log_y = math.log(y) if y > 0 else -math.inf
    weights = [0.0]
    top = 0.0
    j = 0
    while True:
        j += 1
        log_w = weights[-1] + log_y - math.log(x + j)
        if log_w == -math.inf or (j > y - x and log_w < top - _NEGLIGIBLE):
            return weights
        if j > _MAX_SERIES_TERMS:
            raise ValueError("the Erlang A series did not converge; check the inputs")
        weights.append(log_w)
        top = max(top, log_w)


def _performance_a(
    agents: int, load: Load, target_seconds: float, patience_seconds: float, log_b: float
) -> Performance:
    """Palm's M/M/N+M queue, by conditioning on how many are waiting when a customer arrives.

    With ``j`` waiting ahead, a customer reaches an agent before giving up with probability
    ``x/(x+j+1)``, after a wait that is a sum of exponentials with rates ``θ(x+1)…θ(x+j+1)``
    (``x = Nμ/θ``): the ``(j+1)``-th smallest of ``x+j+1`` unit exponentials, whose CDF is the
    regularized incomplete beta ``I_p(j+1, x+1)``, ``p = 1 - exp(-θT)``.
    """
    theta = 1.0 / patience_seconds
    x = agents * patience_seconds / load.aht_seconds
    y = load.arrival_rate * patience_seconds
    log_w = _queue_weights(x, y)
    log_s = _logsumexp(log_w)
    # P(wait) = S·B / (1 - B + S·B), written so that neither S nor 1/B can overflow.
    if log_b >= 0.0:
        waiting = 1.0
    else:
        log_free = math.log(-math.expm1(log_b)) - log_b - log_s
        waiting = 1.0 / (1.0 + math.exp(log_free)) if log_free < 700 else 0.0

    p = -math.expm1(-theta * target_seconds)
    log_p = math.log(p) if p > 0 else -math.inf
    log_nb = (x + 1.0) * (-theta * target_seconds)  # first negative-binomial term, (1-p)^(x+1)
    cumulative = 0.0
    harmonic = 0.0
    abandon = answered_in_time = wait_if_answered = 0.0
    for j, lw in enumerate(log_w):
        if j > 0:
            log_nb += log_p + math.log(x + j) - math.log(j)
        cumulative += math.exp(log_nb)
        harmonic += 1.0 / (x + j + 1.0)
        share = math.exp(lw - log_s)
        reach = x / (x + j + 1.0)
        abandon += share * (1.0 - reach)
        answered_in_time += share * reach * max(0.0, 1.0 - cumulative)
        wait_if_answered += share * reach * harmonic
    abandonment = waiting * abandon
    answered = 1.0 - abandonment
    reached = agents > 0 and answered > 0
    asa = waiting * wait_if_answered / theta / answered if reached else math.inf
    return Performance(
        agents=agents,
        service_level=min(1.0, (1.0 - waiting) + waiting * answered_in_time),
        probability_of_waiting=waiting,
        asa_seconds=asa,
        abandonment=abandonment,
        occupancy=min(1.0, load.traffic * answered / agents) if agents else 1.0,
    )


def performance(
    agents: int, load: Load, *, target_seconds: float, patience_seconds: float | None = None
) -> Performance:
    """Return what ``agents`` achieve: Erlang C, or Erlang A when a mean patience is given."""
    if agents < 0:
        raise ValueError("agents cannot be negative")
    if load.contacts == 0:
        return Performance(agents, 1.0, 0.0, 0.0, 0.0, 0.0)
    log_b = log_erlang_b(agents, load.traffic)
    if patience_seconds is None:
        return _performance_c(agents, load, target_seconds, math.exp(log_b))
    if patience_seconds <= 0:
        raise ValueError("patience must be positive")
    return _performance_a(agents, load, target_seconds, patience_seconds, log_b)


def _required_c(load: Load, target: Target, max_agents: int) -> Performance:
    traffic = load.traffic
    agents = math.floor(traffic) + 1  # fewer agents than Erlangs never catch up
    log_b = log_erlang_b(agents, traffic)
    log_a = math.log(traffic)
    while agents <= max_agents:
        result = _performance_c(agents, load, target.seconds, math.exp(log_b))
        if result.service_level >= target.level:
            return result
        agents += 1
        log_b = log_a + log_b - math.log(agents + traffic * math.exp(log_b))
    raise ValueError(f"more than {max_agents} agents would be needed")


def _required_a(load: Load, target: Target, patience: float, max_agents: int) -> Performance:
    traffic = load.traffic
    log_a = math.log(traffic)
    log_b = [0.0]  # log B(n, A) for n = 0, 1, ...: one recursion shared by every candidate

    def meets(agents: int) -> Performance | None:
        while len(log_b) <= agents:
            n = len(log_b)
            log_b.append(log_a + log_b[-1] - math.log(n + traffic * math.exp(log_b[-1])))
        result = _performance_a(agents, load, target.seconds, patience, log_b[agents])
        return result if result.service_level >= target.level else None

    high = max(1, math.ceil(traffic))
    while meets(high) is None:
        if high >= max_agents:
            raise ValueError(f"more than {max_agents} agents would be needed")
        high = min(max_agents, high * 2)
    low = 0  # invariant: low fails (or is zero), high meets the target
    while high - low > 1:
        middle = (low + high) // 2
        if middle > 0 and meets(middle) is not None:
            high = middle
        else:
            low = middle
    found = meets(high)
    assert found is not None
    return found


def required_agents(
    load: Load, target: Target, *, patience_seconds: float | None = None, max_agents: int = 100_000
) -> Performance:
    """Return the fewest agents whose service level meets ``target``, with what they achieve."""
    if load.contacts == 0:
        return Performance(0, 1.0, 0.0, 0.0, 0.0, 0.0)
    if patience_seconds is None:
        return _required_c(load, target, max_agents)
    if patience_seconds <= 0:
        raise ValueError("patience must be positive")
    return _required_a(load, target, patience_seconds, max_agents)


def with_shrinkage(agents: int, shrinkage: float) -> int:
    """Return the agents to schedule so that ``agents`` remain after breaks, training, absence."""
    if not 0 <= shrinkage < 1:
        raise ValueError("shrinkage must be at least 0 and below 1, e.g. 0.3")
    # Round away float noise first: 14 / 0.7 is 20.000000000000004, which must stay 20.
    return math.ceil(round(agents / (1.0 - shrinkage), 9))


def staff(
    load: Load, target: Target, *, shrinkage: float = 0.0, patience_seconds: float | None = None
) -> Staffing:
    """Answer one interval: agents needed before and after shrinkage, and what they achieve."""
    result = required_agents(load, target, patience_seconds=patience_seconds)
    return Staffing(result, with_shrinkage(result.agents, shrinkage), load.traffic)
