"""Independent, high-precision Erlang formulas for checking the fast ones.

Exact rational arithmetic (``fractions``) straight from the textbook definitions, and
``decimal`` with far more digits than a double where an exponential is needed. Slow, obvious
and free of the tricks (recursions, log space, incomplete beta) that ``erlang.py`` relies on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

DIGITS = 60


def erlang_b(agents: int, traffic: Fraction) -> Fraction:
    """``B = (A^N/N!) / sum_{k<=N} A^k/k!``, over the common denominator ``q^N N!``."""
    p, q = traffic.numerator, traffic.denominator
    total = 0
    falling = 1  # N!/k!, built from k = N downwards
    for k in range(agents, -1, -1):
        total += p**k * q ** (agents - k) * falling
        falling *= k if k > 0 else 1
    return Fraction(p**agents, total)


def erlang_c(agents: int, traffic: Fraction) -> Fraction:
    blocking = erlang_b(agents, traffic)
    return agents * blocking / (agents - traffic * (1 - blocking))


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def service_level_c(agents: int, traffic: Fraction, aht: Fraction, seconds: Fraction) -> Decimal:
    with localcontext() as context:
        context.prec = DIGITS
        waiting = _decimal(erlang_c(agents, traffic))
        exponent = _decimal(-(agents - traffic) * seconds / aht)
        return 1 - waiting * exponent.exp()


@dataclass(frozen=True)
class PalmResult:
    probability_of_waiting: Decimal
    abandonment: Decimal
    service_level: Decimal
    asa_seconds: Decimal


def _hypoexponential_cdf(rates: list[Fraction], t: Fraction) -> Decimal:
    """P(sum of independent Exp(r) <= t) for distinct rates, by partial fractions."""
    tail = Decimal(0)
    for m, rate in enumerate(rates):
        coefficient = Fraction(1)
        for k, other in enumerate(rates):
            if k != m:
                coefficient *= other / (other - rate)
        tail += _decimal(coefficient) * _decimal(-rate * t).exp()
    return 1 - tail


def palm(
    agents: int,
    *,
    arrival_rate: Fraction,
    aht: Fraction,
    patience: Fraction,
    seconds: Fraction,
    cutoff: Fraction = Fraction(1, 10**25),
    with_service_level: bool = True,
) -> PalmResult:
    """M/M/N+M from its birth-death chain, truncated where the states stop mattering.

    Without ``with_service_level`` only waiting and abandonment are computed (the service level
    and ASA come back as NaN): the partial fractions are quadratic in the queue length.
    """
    mu, theta = 1 / aht, 1 / patience
    served_states = [Fraction(1)]
    for k in range(1, agents + 1):
        served_states.append(served_states[-1] * arrival_rate / (k * mu))
    queue_states = [served_states[-1]]  # pi_{N+j}, j = 0, 1, ...
    while True:
        j = len(queue_states)
        nxt = queue_states[-1] * arrival_rate / (agents * mu + j * theta)
        if j > arrival_rate / theta and nxt < cutoff * queue_states[0]:
            break
        queue_states.append(nxt)
    total = sum(served_states[:-1]) + sum(queue_states)
    waiting = sum(queue_states) / total
    # Abandonment from rates: theta times the mean queue length, per arrival.
    abandonment = theta * sum(j * pi for j, pi in enumerate(queue_states)) / total / arrival_rate

    if not with_service_level:
        nan = Decimal("NaN")
        return PalmResult(_decimal(waiting), _decimal(abandonment), nan, nan)
    with localcontext() as context:
        context.prec = DIGITS
        answered_in_time = Decimal(0)
        wait_if_answered = Decimal(0)
        for j, pi in enumerate(queue_states):
            reach = Fraction(1)
            rates = []
            for i in range(j + 1):
                # i waiting ahead: the head enters service (N mu), one ahead gives up (i theta),
                # or our customer gives up (theta).
                exit_rate = agents * mu + i * theta + theta
                reach *= (agents * mu + i * theta) / exit_rate
                rates.append(exit_rate)
            share = _decimal(pi / total)
            answered_in_time += share * _decimal(reach) * _hypoexponential_cdf(rates, seconds)
            wait_if_answered += share * _decimal(reach * sum(1 / r for r in rates))
        answered = 1 - _decimal(abandonment)
        return PalmResult(
            probability_of_waiting=_decimal(waiting),
            abandonment=_decimal(abandonment),
            service_level=_decimal(sum(served_states[:-1]) / total) + answered_in_time,
            asa_seconds=wait_if_answered / answered,
        )
