"""Choosing the agent: skills, presence, capacity, and emotional load spread fairly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tandem.escalation.config import WellbeingRules
from tandem.routing.assign import AgentState, WorkItem, choose_agent, plan

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
RULES = WellbeingRules(high_load=0.6, cooldown_minutes=10, daily_hard_cases=2)
EASY = WorkItem(handoff_id=1, skills=frozenset(), emotional_load=0.1)
HARD = WorkItem(handoff_id=2, skills=frozenset(), emotional_load=0.8)


def agent(agent_id: int, **changes: object) -> AgentState:
    values: dict[str, object] = {
        "id": agent_id,
        "online": True,
        "skills": frozenset({"vip", "care"}),
        "capacity": 3,
        "active": 0,
    }
    values.update(changes)
    return AgentState(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("item", "agents", "expected", "skip_reason"),
    [
        pytest.param(EASY, [agent(1, online=False), agent(2)], 2, "not online", id="presence"),
        pytest.param(EASY, [agent(1, active=3), agent(2)], 2, "at capacity", id="capacity"),
        pytest.param(
            WorkItem(3, frozenset({"vip"}), 0.1),
            [agent(1, skills=frozenset()), agent(2)],
            2,
            "lacks skills vip",
            id="skills",
        ),
        pytest.param(
            EASY,
            [agent(1, active=2), agent(2, active=1)],
            2,
            "another agent was less loaded",
            id="least-busy",
        ),
        pytest.param(
            HARD,
            [agent(1, cooldown_until=NOW + timedelta(minutes=5)), agent(2, active=2)],
            2,
            "on cool-down",
            id="cool-down-skips-hard-case",
        ),
        pytest.param(
            HARD,
            [agent(1, hard_today=2), agent(2, active=2, hard_today=0)],
            2,
            "already had 2 hard conversations today",
            id="daily-cap-while-others-free",
        ),
        pytest.param(
            HARD,
            [agent(1, load_today=2.5), agent(2, load_today=0.4, active=1)],
            2,
            "another agent was less loaded",
            id="hard-case-to-least-emotional-load",
        ),
    ],
)
def test_choose_agent(
    item: WorkItem, agents: list[AgentState], expected: int, skip_reason: str
) -> None:
    choice = choose_agent(item, agents, now=NOW, rules=RULES)
    assert choice.agent_id == expected
    assert skip_reason in choice.skipped[1]


def test_cool_down_does_not_block_an_easy_conversation() -> None:
    cooling = agent(1, cooldown_until=NOW + timedelta(minutes=5))
    assert choose_agent(EASY, [cooling], now=NOW, rules=RULES).agent_id == 1


def test_a_capped_agent_still_helps_when_nobody_else_is_free() -> None:
    capped = agent(1, hard_today=5)
    assert choose_agent(HARD, [capped, agent(2, online=False)], now=NOW, rules=RULES).agent_id == 1


def test_nobody_qualified_means_the_conversation_waits() -> None:
    choice = choose_agent(
        HARD, [agent(1, cooldown_until=NOW + timedelta(minutes=1))], now=NOW, rules=RULES
    )
    assert choice.agent_id is None
    assert choice.why == "no qualified agent is free"


def test_the_agent_who_missed_the_sla_is_avoided() -> None:
    item = WorkItem(5, frozenset(), 0.1, avoid_agent=1)
    assert choose_agent(item, [agent(1), agent(2, active=2)], now=NOW, rules=RULES).agent_id == 2


def test_plan_spreads_hard_cases_instead_of_piling_them_on_one_agent() -> None:
    hard_cases = [WorkItem(i, frozenset(), 0.9) for i in range(4)]
    planned = plan(hard_cases, [agent(1), agent(2)], now=NOW, rules=RULES)
    owners = [choice.agent_id for _item, choice in planned]
    assert sorted(owners) == [1, 1, 2, 2]


def test_plan_respects_capacity_and_leaves_the_rest_waiting() -> None:
    items = [WorkItem(i, frozenset(), 0.1) for i in range(5)]
    planned = plan(items, [agent(1, capacity=2), agent(2, capacity=1)], now=NOW, rules=RULES)
    assert [choice.agent_id is not None for _item, choice in planned] == [True] * 3 + [False] * 2
