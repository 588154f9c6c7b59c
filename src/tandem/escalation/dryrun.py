"""What would a policy have done to past conversations? Pure: signals in, a comparison out.

Each customer turn's signals are stored with the message, so a candidate policy can be replayed
exactly on what the bot saw, without calling any model again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from tandem.escalation.config import Policy
from tandem.escalation.policy import Signals, decide


@dataclass(frozen=True, slots=True)
class Outcome:
    handed_off: bool
    turn: int | None
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    conversation_id: str
    current: Outcome
    candidate: Outcome

    @property
    def changed(self) -> bool:
        return self.current != self.candidate


@dataclass
class DryRun:
    conversations: int = 0
    current_handoffs: int = 0
    candidate_handoffs: int = 0
    current_by_reason: Counter[str] = field(default_factory=Counter)
    candidate_by_reason: Counter[str] = field(default_factory=Counter)
    changed: list[Comparison] = field(default_factory=list)


def outcome(turns: Sequence[Signals], policy: Policy) -> Outcome:
    """Replay one conversation's turns; stop at the first handoff."""
    for number, signals in enumerate(turns, start=1):
        decision = decide(signals, policy)
        if decision.handoff:
            return Outcome(True, number, tuple(r.code.value for r in decision.reasons))
    return Outcome(False, None, ())


def dry_run(
    histories: Sequence[tuple[str, Sequence[Signals]]], *, current: Policy, candidate: Policy
) -> DryRun:
    """Compare what ``current`` and ``candidate`` decide on each conversation's turns."""
    report = DryRun()
    for conversation_id, turns in histories:
        if not turns:
            continue
        report.conversations += 1
        before, after = outcome(turns, current), outcome(turns, candidate)
        report.current_handoffs += before.handed_off
        report.candidate_handoffs += after.handed_off
        report.current_by_reason.update(before.reasons)
        report.candidate_by_reason.update(after.reasons)
        comparison = Comparison(conversation_id, before, after)
        if comparison.changed:
            report.changed.append(comparison)
    return report
