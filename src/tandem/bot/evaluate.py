"""Replay scripted conversations through the live code path and measure who reaches a person.

Each dialog runs as real traffic: a customer with the given tier and attributes, earlier
contacts, then each customer turn through ``bot.service.receive``. The caller owns the
transaction and rolls it back, so a replay leaves nothing behind.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import answers
from tandem.bot import service as bot_service
from tandem.bot.service import BotConfig
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Tier
from tandem.core.db import within
from tandem.core.errors import InvalidInputError
from tandem.core.time import utc_now
from tandem.routing import service as routing_service


class DialogCustomer(BaseModel):
    model_config = ConfigDict(extra="allow")

    tier: Literal["standard", "vip"] = "standard"
    order_value: float | None = Field(default=None, ge=0)
    recent_contacts: int = Field(default=0, ge=0, le=50)


class Dialog(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    customer: DialogCustomer = DialogCustomer()
    turns: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]] = Field(
        min_length=1, max_length=50
    )
    expect_human: bool | None = None
    by_turn: int | None = Field(default=None, ge=1)
    category: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    handed_off: bool
    turn: int | None
    reasons: list[str]
    expect_human: bool | None
    by_turn: int | None
    category: str | None

    @property
    def in_time(self) -> bool:
        """Handed off, and no later than ``by_turn`` when one is given."""
        if not self.handed_off or self.turn is None:
            return False
        return self.by_turn is None or self.turn <= self.by_turn


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def labelled(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.expect_human is not None]

    @property
    def recall(self) -> float | None:
        """Share of must-reach-a-person conversations handed off in time."""
        positives = [o for o in self.labelled if o.expect_human]
        return sum(o.in_time for o in positives) / len(positives) if positives else None

    @property
    def precision(self) -> float | None:
        """Share of handed-off (labelled) conversations that should have reached a person."""
        handed = [o for o in self.labelled if o.handed_off]
        return sum(bool(o.expect_human) for o in handed) / len(handed) if handed else None

    @property
    def handoff_rate(self) -> float:
        return sum(o.handed_off for o in self.outcomes) / len(self.outcomes) if self.outcomes else 0

    @property
    def by_reason(self) -> dict[str, int]:
        return dict(Counter(r for o in self.outcomes for r in o.reasons).most_common())

    def misses(self) -> list[Outcome]:
        """Conversations that should have reached a person in time and did not."""
        return [o for o in self.labelled if o.expect_human and not o.in_time]

    def false_alarms(self) -> list[Outcome]:
        return [o for o in self.labelled if o.handed_off and not o.expect_human]

    def as_json(self) -> dict[str, object]:
        return {
            "recall": self.recall,
            "precision": self.precision,
            "handoff_rate": self.handoff_rate,
            "by_reason": self.by_reason,
            "conversations": [
                {"id": o.id, "handed_off": o.handed_off, "turn": o.turn, "reasons": o.reasons}
                for o in self.outcomes
            ],
        }


def read_dialogs(path: Path) -> list[Dialog]:
    """Read a JSONL file of dialogs; raise InvalidInputError naming every bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InvalidInputError(f"Cannot read {path}: {error.strerror}") from error
    dialogs: list[Dialog] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            dialogs.append(Dialog.model_validate(json.loads(line)))
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not valid JSON ({error.msg})")
        except ValidationError as error:
            details = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
            )
            problems.append(f"line {number}: {details}")
    if problems:
        raise InvalidInputError(f"{path} has problems:\n" + "\n".join(problems))
    if not dialogs:
        raise InvalidInputError(f"{path} has no dialogs.")
    return dialogs


async def replay(session: AsyncSession, dialog: Dialog, *, config: BotConfig) -> Outcome:
    """Run one dialog as live traffic; stop at the first handoff."""
    attributes = {"order_value": dialog.customer.order_value} if dialog.customer.order_value else {}
    customer = await conversation_service.create_customer(
        session, tier=Tier(dialog.customer.tier), attributes=attributes
    )
    for days_ago in range(dialog.customer.recent_contacts):
        await conversation_service.start_conversation(
            session,
            identity=None,
            identity_secret=None,
            customer=customer,
            created_at=utc_now() - timedelta(days=days_ago % 6 + 1),
        )
    conversation, _token = await bot_service.start(
        session, identity=None, identity_secret=None, config=config, customer=customer
    )
    unit = within(session)
    for number, text in enumerate(dialog.turns, start=1):
        result = await bot_service.receive(
            session, conversation, text=text, client_msg_id=f"eval-{number}", config=config
        )
        reasons = [r.code.value for r in result.decision.reasons] if result.decision else []
        if not (result.decision is not None and result.decision.handoff):
            # What the turn left to the job (an action's backend calls; a model's wording is
            # not asked for: the passage stands in) runs before the next turn, as it would.
            await answers.write_pending(unit, unit, conversation.id, None, config)
            handoff = await routing_service.latest_handoff(session, conversation)
            if handoff is None:
                continue
            reasons = [str(r["code"]) for r in handoff.reasons]
        return Outcome(
            dialog.id, True, number, reasons, dialog.expect_human, dialog.by_turn, dialog.category
        )
    return Outcome(dialog.id, False, None, [], dialog.expect_human, dialog.by_turn, dialog.category)


async def evaluate(session: AsyncSession, dialogs: list[Dialog], *, config: BotConfig) -> Report:
    """Replay every dialog (each in its own savepoint) and report recall and precision."""
    report = Report()
    for dialog in dialogs:
        async with session.begin_nested() as savepoint:
            report.outcomes.append(await replay(session, dialog, config=config))
            await savepoint.rollback()
    return report


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def summary(report: Report) -> str:
    """Say the totals in a few lines."""
    lines = [
        f"conversations: {len(report.outcomes)}  handed off: {report.handoff_rate:.1%}",
        f"should reach a person: recall {_share(report.recall)}  "
        f"precision {_share(report.precision)}",
        "by reason: " + ", ".join(f"{k} {v}" for k, v in report.by_reason.items()),
    ]
    if report.misses():
        lines.append("missed: " + ", ".join(o.id for o in report.misses()))
    if report.false_alarms():
        lines.append("handed off needlessly: " + ", ".join(o.id for o in report.false_alarms()))
    return "\n".join(lines)
