"""The active escalation policy: read it, save a new version, roll back to an old one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit
from tandem.conversations import service as conversation_service
from tandem.core.errors import InvalidInputError, NotFoundError
from tandem.core.time import utc_now
from tandem.escalation import repository
from tandem.escalation.config import Policy, PolicyError, default_document, parse_policy
from tandem.escalation.dryrun import DryRun, dry_run
from tandem.escalation.models import PolicyVersion
from tandem.escalation.signals import signals_from_data


@dataclass(frozen=True, slots=True)
class ActivePolicy:
    version: int  # 0 = the built-in default, never saved
    document: str
    policy: Policy


_parsed: dict[str, Policy] = {}


def _parse_cached(document: str) -> Policy:
    policy = _parsed.get(document)
    if policy is None:
        policy = _parsed[document] = parse_policy(document)
    return policy


async def active_policy(session: AsyncSession) -> ActivePolicy:
    """Return the policy in force: the active saved version, or the built-in default."""
    row = await repository.active_version(session)
    if row is None:
        document = default_document()
        return ActivePolicy(0, document, _parse_cached(document))
    return ActivePolicy(row.version, row.document, _parse_cached(row.document))


def validate(document: str) -> Policy:
    """Return the parsed policy or raise InvalidInputError listing every problem."""
    try:
        return parse_policy(document)
    except PolicyError as error:
        raise InvalidInputError(str(error)) from error


async def save_policy(
    session: AsyncSession, *, document: str, comment: str, user_id: int | None
) -> PolicyVersion:
    """Validate and store a new version of the policy and make it the active one."""
    validate(document)
    number = await repository.latest_version_number(session) + 1
    await repository.deactivate_all(session)
    row = PolicyVersion(
        version=number,
        document=document,
        comment=comment.strip()[:500],
        created_by=user_id,
        created_at=utc_now(),
        active=True,
    )
    session.add(row)
    await session.flush()
    await audit.record(session, "policy.saved", actor=user_id, target=f"version {number}")
    return row


async def activate_version(session: AsyncSession, version: int) -> PolicyVersion:
    """Make an earlier version the active one again (a roll-back keeps the history)."""
    row = await repository.get_version(session, version)
    if row is None:
        raise NotFoundError(f"There is no policy version {version}.")
    await repository.deactivate_all(session)
    row.active = True
    await session.flush()
    return row


async def history(session: AsyncSession, *, limit: int = 50) -> Sequence[PolicyVersion]:
    return await repository.list_versions(session, limit=limit)


async def preview(session: AsyncSession, *, document: str, conversations: int = 500) -> DryRun:
    """Replay the latest conversations' stored signals under the active and a candidate policy."""
    candidate = validate(document)
    current = (await active_policy(session)).policy
    stored = await conversation_service.stored_turn_signals(session, conversations=conversations)
    histories = [(cid, [signals_from_data(s) for s in turns]) for cid, turns in stored]
    return dry_run(histories, current=current, candidate=candidate)
