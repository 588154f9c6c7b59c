"""Settings: the only reader of environment variables (``TANDEM_*`` and an optional ``.env``)."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tandem.core.schedule import UnschedulableIntervalError, cron_every

DEFAULT_SECRET_KEY = "dev-insecure-secret-key-change-me"  # noqa: S105 - refused in production
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class UnsafeSettingsError(ValueError):
    """Raised when production settings would be unsafe to run with."""


class Settings(BaseSettings):
    """Every knob Tandem reads, with safe defaults for the embedded single-process mode."""

    model_config = SettingsConfigDict(env_prefix="TANDEM_", env_file=".env", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    database_url: str = "sqlite+aiosqlite:///./tandem.db"
    redis_url: str | None = Field(
        default=None, description="When set, live notifications go through Redis pub/sub."
    )
    secret_key: str = DEFAULT_SECRET_KEY
    identity_secret: str | None = Field(
        default=None,
        description="Shared secret the company's site uses to sign customer identities (HMAC).",
    )
    demo_identities: bool = Field(
        default=False,
        description="Let /chat?as=EMAIL sign in as a demo customer. Never in production.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Server processes. More than one needs TANDEM_REDIS_URL, so that a message posted to one
    # process reaches the customers and agents streaming from the others.
    workers: int = Field(default=1, ge=1, le=64)
    # Who runs background jobs (assignment sweeps, retention, retraining): "embedded" runs
    # them inside each server process (the only choice on SQLite; on PostgreSQL periodic work
    # still runs once per deployment); "separate" leaves them to `tandem worker` processes.
    job_runner: Literal["embedded", "separate"] = "embedded"
    job_stalled_seconds: float = Field(
        default=60.0,
        ge=2,
        description="A job whose runner has not reported for this long (killed, machine lost) "
        "runs again elsewhere; runners report four times as often. Whole seconds dividing a "
        "minute, or whole minutes dividing an hour.",
    )
    # The TLS proxy's addresses (comma-separated, or "*"): from these peers the client address
    # and scheme are read from X-Forwarded-For and X-Forwarded-Proto, so per-address limits
    # see customers, not the proxy. Unset: the headers are ignored.
    forwarded_allow_ips: str | None = None
    # The largest request body accepted (413 above it): chat messages, replies, macros,
    # policies and articles are far smaller.
    max_request_bytes: int = Field(default=1024 * 1024, ge=1024)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["text", "json"] = "text"
    debug: bool = False
    public_url: str | None = None

    session_max_age_seconds: int = Field(default=12 * 3600, ge=60)
    secure_cookies: bool = False

    # Bot behaviour
    company_name: str = "our shop"
    # The customer pages' language when neither the page (?lang=, the widget's data-lang) nor
    # the browser (Accept-Language) names one Tandem has (a catalogue in web/locales).
    interface_language: str = Field(default="en", pattern=r"^[a-z]{2}$")
    # Probabilities from the answer model that the best article answers the question: from
    # answer_threshold the bot answers; from tentative_threshold it shows the passage but says
    # it is not sure and asks; below, it says it does not know.
    answer_threshold: float = Field(default=0.7, ge=0.0, le=1.0)
    tentative_threshold: float = Field(default=0.45, ge=0.0, le=1.0)
    suggest_threshold: float = Field(default=0.2, ge=0.0, le=1.0)
    # Conversations quiet for this many days are erased by `tandem customer retention` (and
    # customers left with nothing); unset keeps everything until erased on request.
    retention_days: int | None = Field(default=None, ge=1)
    retention_interval_seconds: float = Field(
        default=3600.0,
        ge=0,
        description="With retention_days set, the server applies retention this often; 0: it "
        "does not (cron runs `tandem customer retention` instead).",
    )
    # Knowledge audit: articles not reviewed for this long are reported as stale.
    knowledge_review_days: int = Field(default=365, ge=1)
    # The language the help-centre articles are written in (ISO 639-1). A customer writing in
    # another language is told the answer is shown as written.
    knowledge_language: str = Field(default="en", pattern=r"^[a-z]{2}$")
    # Golden questions (YAML) replayed before a knowledge import; the demo set by default.
    knowledge_golden_path: Path | None = None
    # While the knowledge index is rebuilt after a change (about 30 s at 10,000 articles), a
    # question waits this long for it, then the previous index answers.
    knowledge_rebuild_wait_seconds: float = Field(default=2.0, ge=0)
    average_handle_seconds: int = Field(default=240, ge=10)
    # An agent whose console has not been heard from for this long is marked offline, and the
    # conversations they hold go back in line (a closed browser, a lost connection).
    presence_timeout_seconds: float = Field(default=120.0, ge=30)
    # An agent whose console has seen no keyboard or mouse input for this long is shown as away:
    # no new conversations until they are back (the next input). 0 turns it off.
    away_after_idle_seconds: float = Field(default=600.0, ge=0)
    sweep_interval_seconds: float = Field(
        default=5.0, ge=0, description="How often to enforce SLAs and assign; 0 turns it off."
    )
    recover_interval_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How often work whose job a crash or restart lost (a model's answers and "
        "brief summaries) is queued again; 0: never.",
    )
    model_dir: Path = Field(
        default=Path("models"),
        description="Where trained models live; the intent model in its intents/ folder.",
    )
    login_attempts_per_account: int = Field(
        default=10, ge=1, description="Login attempts per e-mail address per minute (then 429)."
    )
    login_attempts_per_ip: int = Field(
        default=30, ge=1, description="Login attempts per client address per minute (then 429)."
    )
    two_factor_roles: str = Field(
        default="",
        description="Roles that must log in with a one-time code from an authenticator app, "
        "comma-separated (agent, supervisor, admin). Others may turn it on for themselves.",
    )
    oidc_issuer: str | None = Field(
        default=None,
        description="Single sign-on: the OpenID Connect provider's issuer URL (its discovery "
        "document is at ISSUER/.well-known/openid-configuration).",
    )
    oidc_client_id: str | None = Field(default=None, description="Tandem's client id there.")
    oidc_client_secret: str | None = Field(default=None, description="Tandem's client secret.")
    oidc_label: str = Field(
        default="single sign-on", max_length=60, description="The login button: 'Log in with ...'."
    )
    two_factor_issuer: str = Field(
        default="Tandem", description="The name authenticator apps show next to the code."
    )
    customer_token_idle_days: int = Field(
        default=30,
        ge=1,
        description="A customer's conversation token stops working after this many days "
        "without activity in the conversation.",
    )
    conversations_per_ip: int = Field(
        default=30, ge=1, description="New conversations per client address per minute (then 429)."
    )
    messages_per_conversation: int = Field(
        default=30, ge=1, description="Customer messages per conversation per minute (then 429)."
    )
    messages_per_ip: int = Field(
        default=120, ge=1, description="Customer messages per client address per minute (then 429)."
    )
    encoder: str = Field(
        default="use-multilingual-v3",
        description=(
            "The sentence encoder the understanding models read through: the shipped "
            "use-multilingual-v3, or a sentence-transformers folder (needs the embeddings extra)."
        ),
    )
    signal_heads_dir: Path | None = Field(
        default=None,
        description=(
            "Signal heads built by `tandem nlu train-signals`; unset: the ones shipped in the "
            "package."
        ),
    )
    intent_training_data: Path | None = Field(
        default=None,
        description="The intent model's base training file; set, approvals retrain the model.",
    )
    actions_dir: Path | None = Field(
        default=None,
        description="A folder of action files (YAML) the bot can carry out; unset: none.",
    )
    actions_base_url: str | None = Field(
        default=None, description="Base URL of the company's backend that actions call."
    )
    demo_backend: bool = Field(
        default=False, description="Serve the demo shop's backend under /demo-backend."
    )
    llm_url: str | None = Field(
        default=None,
        description="OpenAI-compatible API base, e.g. http://127.0.0.1:11434/v1; unset: offline.",
    )
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = None
    llm_timeout_seconds: float = Field(default=15.0, gt=0)

    # E-mail channel (channels/email/): the support mailbox. With an SMTP URL, replies to mail
    # conversations (and to chats whose customer left an address) are sent; with an IMAP URL,
    # the mailbox is read; TANDEM_EMAIL_INBOUND_SECRET opens POST /api/v1/email/inbound.
    email_address: str | None = Field(
        default=None,
        pattern=r"^[^@\s]+@[^@\s]+$",
        description="The support address: the From of replies, e.g. support@example.com.",
    )
    smtp_url: str | None = Field(
        default=None,
        description="Where mail is sent: smtp://user:password@host:587?starttls=true or "
        "smtps://user:password@host:465.",
    )
    imap_url: str | None = Field(
        default=None,
        description="The mailbox read for customer mail: imaps://user:password@host:993/INBOX.",
    )
    email_poll_seconds: float = Field(
        default=30.0, gt=0, description="How often the mailbox is read."
    )
    email_send_seconds: float = Field(
        default=5.0, gt=0, description="How often new replies are written into mail and sent."
    )
    email_inbound_secret: str | None = Field(
        default=None,
        description="The bearer token (or basic-auth password) a mail provider posts inbound "
        "mail with; unset: the inbound webhook is off.",
    )
    email_max_bytes: int = Field(
        default=25 * 1024 * 1024,
        ge=1024,
        description="The largest inbound mail the webhook accepts, attachments included.",
    )

    webhook_allow_private: bool = Field(
        default=False,
        description="In production webhooks go to public addresses only; true also allows "
        "receivers on private networks and this machine.",
    )
    widget_origins: str | None = Field(
        default=None,
        description="Sites that may embed the chat widget, comma-separated origins such as "
        "https://shop.example.com (admins can add more on /admin/widget).",
    )
    webhook_interval_seconds: float = Field(
        default=5.0,
        ge=0,
        description="Webhooks are sent on every change, and retries checked this often; 0: "
        "this process sends none (another one, or `tandem webhooks send`, does).",
    )

    # Reports and staffing (analytics/, workforce/)
    report_timezone: str = Field(
        default="UTC", description="IANA zone for report days and forecast weekdays/intervals."
    )
    report_cache_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How long a process reuses a report's rows (and the knowledge audit's "
        "findings) while nothing they come from has changed; 0 reads them afresh for every "
        "request.",
    )
    sla_first_reply_seconds: int = Field(
        default=120, ge=1, description="Report target: handoff to first human reply."
    )
    ai_cost_per_conversation: float = Field(
        default=0.05, ge=0, description="Cost of one conversation the AI takes part in."
    )
    agent_cost_per_hour: float = Field(default=30.0, ge=0, description="Loaded agent cost.")
    cost_currency: str = Field(default="EUR", max_length=8)

    @model_validator(mode="after")
    def _workers_share_events(self) -> Settings:
        if self.workers > 1 and self.redis_url is None:
            raise ValueError(
                f"TANDEM_WORKERS={self.workers} needs TANDEM_REDIS_URL (for example "
                "redis://127.0.0.1:6379/0): without it a message posted to one process never "
                "reaches the customers and agents streaming from the others. Set it, or run one "
                "worker."
            )
        return self

    @model_validator(mode="after")
    def _jobs_runnable(self) -> Settings:
        if self.job_runner == "separate" and self.is_sqlite:
            raise ValueError(
                "TANDEM_JOB_RUNNER=separate needs PostgreSQL (TANDEM_DATABASE_URL=postgresql+"
                "asyncpg://...): `tandem worker` processes take jobs from its tables. On SQLite "
                "leave it at embedded."
            )
        if self.job_runner == "separate" and self.redis_url is None:
            raise ValueError(
                "TANDEM_JOB_RUNNER=separate needs TANDEM_REDIS_URL: conversations the workers "
                "assign must wake the agents streaming from the servers."
            )
        intervals = {
            "TANDEM_SWEEP_INTERVAL_SECONDS": self.sweep_interval_seconds,
            "TANDEM_JOB_STALLED_SECONDS": self.job_stalled_seconds,
            "TANDEM_RECOVER_INTERVAL_SECONDS": self.recover_interval_seconds,
        }
        if self.retention_days is not None:
            intervals["TANDEM_RETENTION_INTERVAL_SECONDS"] = self.retention_interval_seconds
        for name, seconds in intervals.items():
            try:
                if seconds:
                    cron_every(seconds)
            except UnschedulableIntervalError as error:
                raise ValueError(f"{name}: {error}") from None
        return self

    @model_validator(mode="after")
    def _oidc_complete(self) -> Settings:
        given = [self.oidc_issuer, self.oidc_client_id, self.oidc_client_secret]
        if any(given) and not all(given):
            raise ValueError(
                "Single sign-on needs all of TANDEM_OIDC_ISSUER, TANDEM_OIDC_CLIENT_ID and "
                "TANDEM_OIDC_CLIENT_SECRET (the redirect URI to register at the provider is "
                "TANDEM_PUBLIC_URL/console/sso/callback)."
            )
        return self

    @model_validator(mode="after")
    def _two_factor_roles_exist(self) -> Settings:
        roles = ("agent", "supervisor", "admin")  # auth.models.Role
        wrong = [r for r in self.two_factor_roles.lower().replace(" ", "").split(",") if r]
        wrong = [r for r in wrong if r not in roles]
        if wrong:
            raise ValueError(
                f"TANDEM_TWO_FACTOR_ROLES names {', '.join(wrong)}: the roles are "
                f"{', '.join(roles)} (comma-separated)."
            )
        return self

    @model_validator(mode="after")
    def _mail_needs_an_address(self) -> Settings:
        if (self.smtp_url or self.imap_url or self.email_inbound_secret) and not self.email_address:
            raise ValueError(
                "The e-mail channel needs TANDEM_EMAIL_ADDRESS (the support address replies "
                "come from, e.g. support@example.com) besides TANDEM_SMTP_URL / TANDEM_IMAP_URL."
            )
        return self

    @property
    def webhooks_public_only(self) -> bool:
        """Refuse webhook receivers at non-public addresses (production, unless allowed)."""
        return self.environment == "production" and not self.webhook_allow_private

    @property
    def widget_key(self) -> str:
        """The widget's public key (in the snippet): derived from the secret key, so stable."""
        digest = hmac.new(self.secret_key.encode(), b"tandem-widget-key", hashlib.sha256)
        return "pk_" + digest.hexdigest()[:24]

    @property
    def email_enabled(self) -> bool:
        return self.email_address is not None

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment != "production":
            return self
        if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
            raise UnsafeSettingsError(
                "TANDEM_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production, e.g. from `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`."
            )
        if not self.secure_cookies:
            raise UnsafeSettingsError(
                "TANDEM_SECURE_COOKIES must be on in production (serve over HTTPS), or login "
                "cookies travel in clear text."
            )
        if self.oidc_issuer and not self.oidc_issuer.startswith("https://"):
            raise UnsafeSettingsError(
                "TANDEM_OIDC_ISSUER must be an https:// URL in production: the ID token's keys "
                "and the client secret travel over it."
            )
        if self.identity_secret is not None and len(self.identity_secret) < 32:
            raise UnsafeSettingsError(
                "TANDEM_IDENTITY_SECRET must be a random value of at least 32 characters in "
                "production; a short one lets anyone sign a customer identity."
            )
        if self.email_inbound_secret is not None and len(self.email_inbound_secret) < 32:
            raise UnsafeSettingsError(
                "TANDEM_EMAIL_INBOUND_SECRET must be a random value of at least 32 characters "
                "in production; a short one lets anyone post mail as any customer."
            )
        if self.demo_identities:
            raise UnsafeSettingsError(
                "TANDEM_DEMO_IDENTITIES lets anyone pose as a customer; turn it off in production."
            )
        if self.debug and self.host not in LOCAL_HOSTS:
            raise UnsafeSettingsError(
                "TANDEM_DEBUG must be off when serving on a public address in production."
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once."""
    return Settings()
