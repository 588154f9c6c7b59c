"""A discrete-event simulation agrees with the analytic service level within one point."""

from __future__ import annotations

import pytest

from tandem.workforce.erlang import Load, performance
from tandem.workforce.simulation import simulate

ONE_POINT = 0.01


# Busier queues wait in longer, correlated runs, so they need more simulated contacts for the
# run-to-run spread (measured over seeds) to stay well inside one point.
@pytest.mark.parametrize(
    ("contacts", "agents", "patience", "simulated_contacts"),
    [
        pytest.param(100, 14, None, 400_000, id="published-example-erlang-c"),
        pytest.param(100, 12, None, 400_000, id="example-understaffed"),
        pytest.param(100, 14, 60.0, 400_000, id="example-erlang-a"),
        pytest.param(100, 10, 120.0, 400_000, id="erlang-a-as-many-agents-as-erlangs"),
        pytest.param(500, 56, None, 1_500_000, id="fifty-erlangs-at-their-requirement"),
    ],
)
def test_simulated_service_level_matches_the_formula(
    contacts: int, agents: int, patience: float | None, simulated_contacts: int
) -> None:
    load = Load(contacts, 1800, 180)
    analytic = performance(agents, load, target_seconds=20, patience_seconds=patience)
    simulated = simulate(
        load, agents, target_seconds=20, patience_seconds=patience, contacts=simulated_contacts
    )
    assert abs(simulated.service_level - analytic.service_level) <= ONE_POINT
    assert abs(simulated.probability_of_waiting - analytic.probability_of_waiting) <= ONE_POINT
    assert abs(simulated.abandonment - analytic.abandonment) <= ONE_POINT


def test_the_simulation_is_reproducible() -> None:
    load = Load(100, 1800, 180)
    first = simulate(load, 14, target_seconds=20, contacts=10_000, seed=7)
    assert simulate(load, 14, target_seconds=20, contacts=10_000, seed=7) == first
    assert simulate(load, 14, target_seconds=20, contacts=10_000, seed=8) != first
