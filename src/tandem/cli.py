"""`tandem ...` commands: demo, serve, db, kb, user."""

from __future__ import annotations

import asyncio
import getpass
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from tandem import migrations
from tandem.app import create_app
from tandem.auth import service as auth_service
from tandem.auth.cli import audit_command, token_app
from tandem.auth.models import Role
from tandem.bot import evaluate
from tandem.bot import service as bot_service
from tandem.channels.email.cli import email_app
from tandem.config import Settings, get_settings
from tandem.core import logs
from tandem.core.commands import fail, settings_problem
from tandem.core.db import begin_write, create_engine, create_sessionmaker
from tandem.core.errors import TandemError
from tandem.core.logs import log_config
from tandem.core.security import verify_password
from tandem.core.units import run_unit
from tandem.demo import ACTIONS_DIR, COMPANY_NAME, GOLDEN_QUESTIONS, INTENT_EXAMPLES
from tandem.demo.history import seed_history
from tandem.demo.intents import ensure_intent_model
from tandem.demo.seed import DEMO_CUSTOMERS, DEMO_USERS, seed
from tandem.jobs.cli import register as register_jobs
from tandem.knowledge.cli import register as register_knowledge
from tandem.learning import golden
from tandem.nlu.cli import app as nlu_app
from tandem.privacy import service as privacy_service
from tandem.privacy.cli import privacy_app
from tandem.routing import service as routing_service
from tandem.workforce.cli import register as register_workforce

app = typer.Typer(
    help="Tandem: customer service where AI and human agents work in tandem.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
kb_app = typer.Typer(help="Knowledge base.", no_args_is_help=True)
user_app = typer.Typer(help="Agents, supervisors and admins.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(kb_app, name="kb")
app.add_typer(user_app, name="user")
customer_app = typer.Typer(help="A customer's data: export or erase it.", no_args_is_help=True)
app.add_typer(customer_app, name="customer")
app.add_typer(token_app, name="token")
app.add_typer(email_app, name="email")
app.command("audit")(audit_command)
eval_app = typer.Typer(help="Measure Tandem on labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(nlu_app, name="nlu")
app.add_typer(privacy_app, name="privacy")
register_workforce(app)  # staffing, forecast
register_jobs(app)  # worker, jobs list/retry
# kb import, audit, test; golden questions accepted from flagged answers join the file's
register_knowledge(kb_app, default_golden=GOLDEN_QUESTIONS, learned=golden.accepted)

DEMO_DATABASE = "sqlite+aiosqlite:///./tandem-demo.db"
DEMO_MODELS = Path("tandem-demo-models")


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Create or upgrade the database schema."""
    migrations.upgrade(get_settings().database_url, revision)
    typer.echo("Database is up to date.")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="e.g. -1 or base")]) -> None:
    """Take the database schema back to REVISION."""
    migrations.downgrade(get_settings().database_url, revision)
    typer.echo(f"Database downgraded to {revision}.")


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Login e-mail.")],
    name: Annotated[str, typer.Option(help="Name shown to customers.")],
    role: Annotated[Role, typer.Option(help="agent, supervisor or admin.")] = Role.AGENT,
    skills: Annotated[str, typer.Option(help="Comma-separated, e.g. returns,en,fr.")] = "",
    password: Annotated[
        str | None, typer.Option(help="Prefer the prompt; a flag leaks into shell history.")
    ] = None,
) -> None:
    """Create an agent, supervisor or admin."""
    if password is None:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Repeat password: "):
            raise fail("The passwords differ; nothing was created.")
    skill_list = [s.strip() for s in skills.split(",") if s.strip()]
    secret = password
    user = run_unit(
        get_settings(),
        lambda s: auth_service.create_user(
            s, email=email, name=name, password=secret, role=role, skills=skill_list
        ),
    )
    typer.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


Email = Annotated[str, typer.Argument(help="The e-mail address.")]


def _read_password() -> str:
    """Read the new password: prompted twice on a terminal, one line from a pipe."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("New password: ")
    if password != getpass.getpass("Repeat new password: "):
        raise fail("The passwords differ; nothing was changed.")
    return password


@customer_app.command("export")
def customer_export(email: Email) -> None:
    """Print everything Tandem stores about the customer as JSON."""
    data = run_unit(get_settings(), lambda s: privacy_service.export_customer(s, email))
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@customer_app.command("erase")
def customer_erase(
    email: Email,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Anonymise the customer and their conversations (reports keep the counts)."""
    if not yes and not typer.confirm(f"Erase {email} and all their conversations for good?"):
        raise typer.Exit(code=1)
    count = run_unit(get_settings(), lambda s: privacy_service.erase_customer(s, email))
    typer.echo(f"Erased {email}: {count} conversation(s) anonymised.")


@customer_app.command("retention")
def customer_retention(
    days: Annotated[
        int | None,
        typer.Option(
            help="Erase what has been quiet this long (default $TANDEM_RETENTION_DAYS).", min=1
        ),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase conversations older than the retention period, and customers left with nothing.

    Run it daily (cron or a systemd timer); it erases only what expired since the last run.
    """
    settings = get_settings()
    period = days or settings.retention_days
    if period is None:
        raise fail("Give --days, or set TANDEM_RETENTION_DAYS, to say how long to keep chats.")
    if not yes and not typer.confirm(
        f"Erase every conversation quiet for more than {period} days, for good?"
    ):
        raise typer.Exit(code=1)
    report = run_unit(settings, lambda s: privacy_service.apply_retention(s, days=period))
    typer.echo(
        f"Erased {report.conversations} conversation(s) quiet for more than {period} days; "
        f"forgot {report.customers} customer(s) with nothing left."
    )


@user_app.command("set-password")
def set_password(email: Email) -> None:
    """Set a new password (read from standard input); the user's sessions end."""
    password = _read_password()
    user = run_unit(
        get_settings(),
        lambda s: auth_service.set_password(s, email=email, password=password),
    )
    typer.echo(f"New password set for {user.email}; their open sessions have ended.")


@user_app.command("deactivate")
def deactivate(email: Email) -> None:
    """Stop a user logging in; their sessions end and their conversations go back in line."""
    user, released = run_unit(get_settings(), lambda s: routing_service.deactivate_agent(s, email))
    typer.echo(
        f"Deactivated {user.email}; {len(released)} conversation(s) they held are back "
        "in the queue, first in line."
    )


@user_app.command("reset-two-factor")
def reset_two_factor(email: Email) -> None:
    """Turn off a user's two-factor login (a lost phone); their sessions end."""
    user = run_unit(get_settings(), lambda s: auth_service.reset_two_factor(s, email=email))
    typer.echo(
        f"Two-factor login is off for {user.email} and their sessions have ended; they can set "
        "it up again at /console/two-factor (required at their next login if their role needs it)."
    )


@user_app.command("reactivate")
def reactivate(email: Email) -> None:
    """Let a deactivated user log in again."""
    user = run_unit(get_settings(), lambda s: auth_service.reactivate_user(s, email=email))
    typer.echo(f"Reactivated {user.email}.")


async def _evaluate_dialogs(settings: Settings, path: Path) -> evaluate.Report:
    dialogs = evaluate.read_dialogs(path)
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            try:
                await begin_write(session)
                return await evaluate.evaluate(
                    session, dialogs, config=bot_service.config_from(settings)
                )
            finally:
                await session.rollback()  # a replay never leaves anything behind
    finally:
        await engine.dispose()


@eval_app.command("dialogs")
def eval_dialogs(
    data: Annotated[Path, typer.Option("--data", help="JSONL: one scripted conversation a line.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Replay scripted conversations through the live code path; report who reached a person."""
    try:
        report = asyncio.run(_evaluate_dialogs(get_settings(), data))
    except TandemError as error:
        raise fail(error.message) from error
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2))
        return
    for outcome in report.outcomes:
        where = (
            f"turn {outcome.turn}: {', '.join(outcome.reasons)}" if outcome.handed_off else "bot"
        )
        flag = ""
        if outcome.expect_human is not None:
            flag = "  ok" if outcome.in_time == outcome.expect_human else "  MISMATCH"
        typer.echo(f"{outcome.id:<32} {where}{flag}")
    typer.echo("")
    typer.echo(evaluate.summary(report))


def _serve(settings: Settings) -> None:
    """Serve in this process, or in ``settings.workers`` processes that read the environment."""
    config = log_config(settings.log_level, settings.log_format)
    logs.configure(settings.log_level, settings.log_format)
    if settings.workers > 1:
        # Each worker process builds its own app from the environment (TANDEM_*).
        uvicorn.run(
            "tandem.app:create_app",
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            log_config=config,
            **_proxy(settings),
        )
        return
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=config,
        **_proxy(settings),
    )


def _proxy(settings: Settings) -> dict[str, Any]:
    """Trust X-Forwarded-* from the configured proxy only (never from anyone by default)."""
    if settings.forwarded_allow_ips is None:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": settings.forwarded_allow_ips}


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to bind.")] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Server processes (default $TANDEM_WORKERS, 1); 2+ need Redis.", min=1),
    ] = None,
) -> None:
    """Serve Tandem (run `tandem db upgrade` first)."""
    if workers is not None:
        os.environ["TANDEM_WORKERS"] = str(workers)  # the worker processes read it too
        get_settings.cache_clear()
    try:
        settings = get_settings()
    except ValidationError as error:
        raise fail(settings_problem(error)) from error
    if settings.environment == "production":
        published = run_unit(settings, _demo_logins_left)
        if published:
            raise fail(
                "These accounts still have the demo's published passwords: "
                + ", ".join(published)
                + ". Change them with `tandem user set-password EMAIL` or remove them with "
                "`tandem user deactivate EMAIL` before serving in production."
            )
    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    _serve(settings.model_copy(update=overrides))


async def _demo_logins_left(session: AsyncSession) -> list[str]:
    """Return the e-mails of active accounts that still log in with a published demo password."""
    left = []
    for demo_user in DEMO_USERS:
        user = await auth_service.find_user(session, demo_user.email)
        if user is None or not user.is_active:
            continue
        if verify_password(user.password_hash, demo_user.password):
            left.append(user.email)
    return left


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only set up the data.")] = False,
) -> None:
    """Set up the demo shop (database, knowledge, agents, customers) and serve it."""
    base = get_settings()
    updates: dict[str, object] = {
        "workers": 1,  # the demo runs in one process, with in-process events
        "host": host,
        "port": port,
        "company_name": COMPANY_NAME,
        "demo_identities": True,
        "identity_secret": base.identity_secret or secrets.token_urlsafe(32),
    }
    if "actions_dir" not in base.model_fields_set:  # the shop's actions and its own backend
        updates["actions_dir"] = ACTIONS_DIR
        updates["actions_base_url"] = f"http://{host}:{port}/demo-backend"
        updates["demo_backend"] = True
    if "widget_origins" not in base.model_fields_set and host in ("127.0.0.1", "localhost"):
        # the sample shop page is opened from the other name, so it is another site
        updates["widget_origins"] = (
            f"http://{'localhost' if host == '127.0.0.1' else '127.0.0.1'}:{port}"
        )
    if "database_url" not in base.model_fields_set:  # the user did not choose a database
        updates["database_url"] = DEMO_DATABASE
    if "knowledge_golden_path" not in base.model_fields_set:  # replayed before approvals too
        updates["knowledge_golden_path"] = GOLDEN_QUESTIONS
    if "report_timezone" not in base.model_fields_set:  # the demo shop's history is Dutch time
        updates["report_timezone"] = "Europe/Amsterdam"
    if "model_dir" not in base.model_fields_set:  # the shop's intent model, beside its database
        updates["model_dir"] = DEMO_MODELS
    if "intent_training_data" not in base.model_fields_set:  # approvals retrain the model
        updates["intent_training_data"] = INTENT_EXAMPLES
    settings = base.model_copy(update=updates)
    if settings.environment == "production":
        raise fail("`tandem demo` is for trying Tandem out; use `tandem serve` in production.")
    migrations.upgrade(settings.database_url)
    report = run_unit(settings, seed)
    history = run_unit(settings, seed_history)
    intents = ensure_intent_model(settings.model_dir)
    url = f"http://{host}:{port}"
    typer.echo(
        f"\nTandem demo: {COMPANY_NAME} (database {settings.database_url})\n"
        f"  knowledge: {report.articles_created} articles added, "
        f"{report.articles_updated} updated\n"
        + (f"  history: {history.conversations} past conversations\n" if history else "")
        + f"  {intents}\n"
        + "\n"
        f"  Customer chat   {url}/chat\n"
        f"  As a VIP        {url}/chat?as={DEMO_CUSTOMERS[0][0]}\n"
        f"  Help centre     {url}/kb\n"
        f"  Agent console   {url}/console\n"
        f"  Dashboards      {url}/admin (supervisor or admin)\n"
        f"  API docs        {url}/docs\n"
        + (
            f"  Widget on a shop {settings.widget_origins}/demo/shop (another site)\n\n"
            if settings.widget_origins and "," not in settings.widget_origins
            else "\n"
        )
        + "  Demo logins (demo only; change them before real use):"
    )
    for user in DEMO_USERS:
        typer.echo(f"    {user.role.value:<10} {user.email:<32} {user.password}")
    typer.echo("")
    if not no_serve:
        _serve(settings)


def main() -> None:
    """Entry point of the `tandem` command."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except DBAPIError as error:
        typer.secho(
            f"Database error: {error.orig}. Is TANDEM_DATABASE_URL right, and did you run "
            "`tandem db upgrade`?",
            fg=typer.colors.RED,
            err=True,
        )
        sys.exit(1)
