"""Erlang C and A against a published worked example and exact, high-precision arithmetic."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from tandem.workforce.erlang import (
    Load,
    Target,
    erlang_b,
    erlang_c,
    performance,
    required_agents,
    staff,
    with_shrinkage,
)
from tests.workforce import reference

# 100 contacts in 30 minutes, 3-minute handle time, 80% answered within 20 seconds.
EXAMPLE = Load(contacts=100, interval_seconds=1800, aht_seconds=180)
EIGHTY_IN_TWENTY = Target(level=0.8, seconds=20)


def test_the_published_example() -> None:
    result = staff(EXAMPLE, EIGHTY_IN_TWENTY, shrinkage=0.3)
    assert result.traffic == 10.0
    assert result.agents == 14
    assert result.agents_with_shrinkage == 20
    assert round(result.performance.service_level, 3) == 0.888
    assert round(result.performance.probability_of_waiting, 3) == 0.174
    assert round(result.performance.occupancy, 3) == 0.714
    assert result.performance.asa_seconds == pytest.approx(7.836, abs=1e-3)


def test_one_agent_fewer_misses_the_example_target() -> None:
    assert performance(13, EXAMPLE, target_seconds=20).service_level < 0.8


def test_erlang_b_table_value() -> None:
    # Erlang B tables: 5 Erlangs offered to 10 lines block 1.84% of calls.
    assert erlang_b(10, 5.0) == pytest.approx(0.018385, abs=5e-7)


@pytest.mark.parametrize(
    ("traffic", "agents"),
    [
        pytest.param(Fraction(1, 2), 2, id="half-an-erlang"),
        pytest.param(Fraction(10), 14, id="example"),
        pytest.param(Fraction(47, 3), 20, id="fractional-load"),
        pytest.param(Fraction(100), 112, id="hundred"),
        pytest.param(Fraction(500), 520, id="five-hundred"),
        pytest.param(Fraction(1000), 1011, id="thousand-at-its-requirement"),
        pytest.param(Fraction(1000), 1001, id="thousand-nearly-saturated"),
        pytest.param(Fraction(1000), 1200, id="thousand-overstaffed"),
        pytest.param(Fraction(3), 200, id="far-more-agents-than-load"),
    ],
)
def test_erlang_c_matches_exact_arithmetic(traffic: Fraction, agents: int) -> None:
    exact = reference.erlang_c(agents, traffic)
    assert erlang_c(agents, float(traffic)) == pytest.approx(float(exact), rel=1e-10, abs=1e-300)
    aht = Fraction(180)
    load = Load(float(traffic * 1800 / aht), 1800, float(aht))
    fast = performance(agents, load, target_seconds=20).service_level
    assert fast == pytest.approx(
        float(reference.service_level_c(agents, traffic, aht, 20)), abs=1e-12
    )


def test_the_textbook_formula_overflows_where_ours_does_not() -> None:
    with pytest.raises(OverflowError):
        float(1000**1011) / math.factorial(1011)  # A^N / N!, as naive code writes it
    result = required_agents(Load(10_000, 1800, 180), EIGHTY_IN_TWENTY)  # 1,000 Erlangs
    assert result.agents == 1011
    assert 0.8 <= result.service_level < 1


@pytest.mark.parametrize(
    ("agents", "contacts", "patience"),
    [
        pytest.param(14, 100, 60, id="example-impatient"),
        pytest.param(14, 100, 180, id="example-patience-equals-handle-time"),
        pytest.param(10, 100, 120, id="as-many-agents-as-erlangs"),
        pytest.param(8, 100, 90, id="overloaded-but-stable-by-abandonment"),
        pytest.param(50, 500, 120, id="fifty-erlangs"),
    ],
)
def test_erlang_a_matches_the_birth_death_chain_in_exact_arithmetic(
    agents: int, contacts: int, patience: int
) -> None:
    load = Load(contacts, 1800, 180)
    fast = performance(agents, load, target_seconds=20, patience_seconds=patience)
    exact = reference.palm(
        agents,
        arrival_rate=Fraction(contacts, 1800),
        aht=Fraction(180),
        patience=Fraction(patience),
        seconds=Fraction(20),
    )
    assert fast.probability_of_waiting == pytest.approx(
        float(exact.probability_of_waiting), abs=1e-12
    )
    assert fast.abandonment == pytest.approx(float(exact.abandonment), abs=1e-12)
    assert fast.service_level == pytest.approx(float(exact.service_level), abs=1e-12)
    assert fast.asa_seconds == pytest.approx(float(exact.asa_seconds), rel=1e-10)


def test_erlang_a_is_stable_at_a_thousand_erlangs() -> None:
    load = Load(10_000, 1800, 180)
    fast = performance(1000, load, target_seconds=20, patience_seconds=120)
    exact = reference.palm(
        1000,
        arrival_rate=Fraction(10_000, 1800),
        aht=Fraction(180),
        patience=Fraction(120),
        seconds=Fraction(20),
        with_service_level=False,
    )
    assert fast.probability_of_waiting == pytest.approx(
        float(exact.probability_of_waiting), abs=1e-12
    )
    assert fast.abandonment == pytest.approx(float(exact.abandonment), abs=1e-12)
    needed = required_agents(load, EIGHTY_IN_TWENTY, patience_seconds=120)
    below = performance(needed.agents - 1, load, target_seconds=20, patience_seconds=120)
    assert needed.service_level >= 0.8 > below.service_level


def test_erlang_a_becomes_erlang_c_as_patience_grows() -> None:
    patient = performance(14, EXAMPLE, target_seconds=20, patience_seconds=1e7)
    c = performance(14, EXAMPLE, target_seconds=20)
    assert patient.service_level == pytest.approx(c.service_level, abs=1e-5)
    assert patient.probability_of_waiting == pytest.approx(c.probability_of_waiting, abs=1e-5)
    assert patient.abandonment < 1e-5


def test_impatience_shortens_waits_for_those_who_stay() -> None:
    impatient = performance(14, EXAMPLE, target_seconds=20, patience_seconds=60)
    assert impatient.abandonment > 0.02
    assert impatient.asa_seconds < performance(14, EXAMPLE, target_seconds=20).asa_seconds


@pytest.mark.parametrize(
    ("agents", "shrinkage", "expected"),
    [
        pytest.param(14, 0.3, 20, id="example-exact-division-stays-20"),
        pytest.param(14, 0.0, 14, id="no-shrinkage"),
        pytest.param(15, 0.3, 22, id="rounds-up"),
        pytest.param(0, 0.35, 0, id="nobody"),
    ],
)
def test_shrinkage(agents: int, shrinkage: float, expected: int) -> None:
    assert with_shrinkage(agents, shrinkage) == expected


def test_no_contacts_need_no_agents() -> None:
    result = staff(Load(0, 1800, 180), EIGHTY_IN_TWENTY, shrinkage=0.3)
    assert (result.agents, result.agents_with_shrinkage) == (0, 0)
    assert result.performance.service_level == 1.0


def test_too_few_agents_for_erlang_c_never_catch_up() -> None:
    result = performance(10, EXAMPLE, target_seconds=20)
    assert (result.service_level, result.probability_of_waiting) == (0.0, 1.0)
    assert math.isinf(result.asa_seconds)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: Target(1.0, 20), id="target-of-100-percent"),
        pytest.param(lambda: Target(0.8, -1), id="negative-seconds"),
        pytest.param(lambda: Load(-1, 1800, 180), id="negative-contacts"),
        pytest.param(lambda: Load(10, 1800, 0), id="zero-handle-time"),
        pytest.param(lambda: with_shrinkage(10, 1.0), id="all-shrinkage"),
    ],
)
def test_impossible_inputs_are_refused(make: object) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each message is checked by the CLI tests
        make()  # type: ignore[operator]
