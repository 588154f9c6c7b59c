"""`tandem token create | list | revoke` (API tokens for integrations) and `tandem audit`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit, tokens
from tandem.auth import service as auth_service
from tandem.auth.models import ApiToken, TokenScope
from tandem.config import get_settings
from tandem.core.units import run_unit

token_app = typer.Typer(help="API tokens for the agent and admin API.", no_args_is_help=True)


_RANK = {TokenScope.READ: 0, TokenScope.WRITE: 1, TokenScope.ADMIN: 2}


@token_app.command("create")
def create(
    name: Annotated[str, typer.Option(help="What the token is for, e.g. 'CRM sync'.")],
    email: Annotated[
        str | None,
        typer.Argument(help="The user the token acts as; left out: the one active admin."),
    ] = None,
    scope: Annotated[
        list[TokenScope] | None,
        typer.Option(
            help="read: GET only; write: everything the user may do but the admin API; "
            "admin: all of it (for an admin's integrations, e.g. webhooks). Given more than "
            "once, the widest counts."
        ),
    ] = None,
) -> None:
    """Create a token; it is printed once, alone on the last line, and stored only as a hash."""
    widest = max(scope or [TokenScope.READ], key=_RANK.__getitem__)

    async def work(session: AsyncSession) -> tokens.NewToken:
        user = (
            await auth_service.get_user_by_email(session, email)
            if email
            else await auth_service.only_admin(session)
        )
        return await tokens.create(session, user=user, name=name, scope=widest)

    created = run_unit(get_settings(), work)
    email = email or "the admin"
    typer.echo(
        f"Token {created.record.id} ({created.record.scope.value}) for {email}, sent as the "
        "header  Authorization: Bearer <token>. Copy it now; it is not shown again "
        "(it is the last line, alone, for scripts):"
    )
    typer.echo(created.token)


def _row(token: ApiToken) -> str:
    used = token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "never"
    state = f"revoked {token.revoked_at.date()}" if token.revoked_at else "active"
    return (
        f"{token.id:>4}  {token.prefix}…  {token.scope.value:<5}  user {token.user_id:<4} "
        f"{state:<18} last used {used}  {token.name}"
    )


@token_app.command("list")
def list_command() -> None:
    """Every token: id, the start of it, scope, user, state, last use and name."""
    found = run_unit(get_settings(), tokens.list_tokens)
    typer.echo("\n".join(_row(t) for t in found) if found else "No API tokens.")


@token_app.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(help="The id from `tandem token list`.")],
) -> None:
    """Stop a token working at once."""
    token = run_unit(get_settings(), lambda s: tokens.revoke(s, token_id))
    typer.echo(f"Revoked token {token.id} ({token.name}).")


def audit_command(
    since: Annotated[
        datetime | None, typer.Option(help="Only entries from this time (ISO 8601, UTC).")
    ] = None,
    action: Annotated[
        str | None, typer.Option(help="Only actions starting with this, e.g. 'token.' or 'login'.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many, latest first.", min=1)] = 200,
) -> None:
    """Show the audit log: logins, account and token changes, erasures, policy versions."""

    async def work(session: AsyncSession) -> list[str]:
        found = await audit.entries(
            session,
            since=since.replace(tzinfo=since.tzinfo or UTC) if since else None,
            action=action,
            limit=limit,
        )
        users = await auth_service.users_by_id(
            session, [e.actor_user_id for e in found if e.actor_user_id is not None]
        )
        lines = []
        for entry in found:
            who = (
                users[entry.actor_user_id].email if entry.actor_user_id in users else "command line"
            )
            facts = " ".join(f"{k}={v}" for k, v in entry.detail.items())
            at = entry.at.isoformat(timespec="seconds")
            lines.append(f"{at}  {entry.action:<18} {who:<28} {entry.target}  {facts}".rstrip())
        return lines

    lines = run_unit(get_settings(), work)
    typer.echo("\n".join(lines) if lines else "No audit entries.")
