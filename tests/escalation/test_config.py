"""The policy document: validated, with errors that say where and what to fix."""

from __future__ import annotations

import pytest

from tandem.escalation.config import PolicyError, default_document, parse_policy


def test_the_shipped_default_is_valid() -> None:
    policy = parse_policy(default_document())
    assert policy.sensitive_topics["self_harm"].priority == "urgent"
    assert set(policy.queues) >= {"general", "vip", "care"}


def test_an_empty_document_means_safe_defaults() -> None:
    policy = parse_policy("")
    assert policy.confidence.max_failed_answers == 2
    assert "self_harm" in policy.sensitive_topics


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        pytest.param("loops: {repeat_contacts: 0}", "loops.repeat_contacts", id="out-of-range"),
        pytest.param("confidence: {max_failed: 2}", "confidence.max_failed", id="unknown-key"),
        pytest.param("tiers: {vip_queue: platinum}", "platinum", id="undefined-queue"),
        pytest.param(
            "queues: {general: {timezone: Mars/Olympus}}", "unknown time zone", id="bad-time-zone"
        ),
        pytest.param("queues: {general: {hours: {mon: '9-5'}}}", "08:00-20:00", id="bad-hours"),
        pytest.param(
            "queues: {general: {hours: {funday: '08:00-09:00'}}}",
            "unknown weekday",
            id="bad-weekday",
        ),
        pytest.param("rules: [{name: r, when: {}}]", "at least one condition", id="empty-rule"),
        pytest.param("priorities: {vip: extreme}", "priorities.vip", id="bad-priority"),
        pytest.param("- just\n- a list", "must be a YAML mapping", id="not-a-mapping"),
        pytest.param("loops: [", "not valid YAML", id="broken-yaml"),
    ],
)
def test_invalid_documents_are_refused_with_the_place_to_fix(document: str, problem: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(document)
    assert problem in str(caught.value)
