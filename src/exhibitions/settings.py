"""Settings, read once from ``EXHIBITIONS_*`` environment variables.

Every knob has a default that runs the system on a laptop; production mode refuses
the ones that are only safe on a laptop (see :meth:`Settings.check_production`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from exhibitions.errors import ConfigurationError

DEFAULT_SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - refused in production
LANGUAGES: tuple[str, ...] = ("ar", "fr", "en")
Environment = Literal["development", "production"]
SchedulerMode = Literal["inline", "off"]


def _bool(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigurationError(f"{name} must be true or false, got {value!r}")


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, got {value!r}") from exc


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "127.0.0.1"
    # 1025 is where development mail catchers listen (Mailpit, or
    # `python -m aiosmtpd -n -l 127.0.0.1:1025`); a production relay is 25, 587 or 465.
    port: int = 1025
    username: str = ""
    password: str = field(default="", repr=False)
    # STARTTLS upgrades a plain connection (port 587); tls speaks TLS from the start (465).
    starttls: bool = False
    tls: bool = False
    sender: str = "Exhibitions <no-reply@localhost>"


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///var/exhibitions.sqlite3"
    secret_key: str = field(default=DEFAULT_SECRET_KEY, repr=False)
    base_url: str = "http://127.0.0.1:8000"
    default_language: str = "fr"
    environment: Environment = "development"
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    # How long a web login lasts, in hours.
    session_hours: int = 24 * 14
    # Seconds a SQLite query waits for the process-wide connection before giving up:
    # a transaction that awaits a query outside itself would otherwise hang forever.
    sqlite_lock_timeout: float = 30.0
    # One shared connection per process is much faster (docs/benchmarks.md); the stock
    # Piccolo engine, one connection per query, is kept for comparison.
    sqlite_shared_connection: bool = True
    # Largest request body accepted; bigger ones are refused with 413 before they are read.
    max_body_bytes: int = 1_000_000
    # Public writes (registration, login, token creation) per client and minute; 0 turns it off.
    public_rate_limit: int = 60
    # "inline" ticks scheduled work (mail delivery) inside the web process; "off" leaves it
    # to `exhibitions scheduler` (tests call the services directly). Either way only the
    # process holding the scheduler lease ticks (exhibitions/leadership.py).
    scheduler: SchedulerMode = "inline"
    # Where generated files live (badge batches' PDFs under badges/); relative to the working
    # directory, like the default SQLite database.
    data_dir: str = "var"
    # Seconds after which a message claimed by a delivery that never finished (a killed
    # process) is claimed again. Longer than any delivery pass (they stop at half of it).
    mail_claim_timeout: int = 600

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        defaults = cls()

        def get(name: str, default: str) -> str:
            return env.get(f"EXHIBITIONS_{name}", default)

        environment = get("ENV", defaults.environment)
        if environment not in ("development", "production"):
            raise ConfigurationError(f"EXHIBITIONS_ENV must be development or production, got {environment!r}")
        language = get("DEFAULT_LANGUAGE", defaults.default_language)
        if language not in LANGUAGES:
            raise ConfigurationError(
                f"EXHIBITIONS_DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}, got {language!r}"
            )
        smtp = SmtpSettings(
            host=get("SMTP_HOST", defaults.smtp.host),
            port=_int(get("SMTP_PORT", str(defaults.smtp.port)), "EXHIBITIONS_SMTP_PORT"),
            username=get("SMTP_USERNAME", ""),
            password=get("SMTP_PASSWORD", ""),
            starttls=_bool(get("SMTP_STARTTLS", "false"), "EXHIBITIONS_SMTP_STARTTLS"),
            tls=_bool(get("SMTP_TLS", "false"), "EXHIBITIONS_SMTP_TLS"),
            sender=get("MAIL_FROM", defaults.smtp.sender),
        )
        scheduler = get("SCHEDULER", defaults.scheduler)
        if scheduler not in ("inline", "off"):
            raise ConfigurationError(f"EXHIBITIONS_SCHEDULER must be inline or off, got {scheduler!r}")
        settings = cls(
            database_url=get("DATABASE_URL", defaults.database_url),
            secret_key=get("SECRET_KEY", defaults.secret_key),
            base_url=get("BASE_URL", defaults.base_url).rstrip("/"),
            default_language=language,
            environment=environment,  # type: ignore[arg-type]
            smtp=smtp,
            session_hours=_int(get("SESSION_HOURS", str(defaults.session_hours)), "EXHIBITIONS_SESSION_HOURS"),
            sqlite_shared_connection=_bool(
                get("SQLITE_SHARED_CONNECTION", "true"), "EXHIBITIONS_SQLITE_SHARED_CONNECTION"
            ),
            max_body_bytes=_int(get("MAX_BODY_BYTES", str(defaults.max_body_bytes)), "EXHIBITIONS_MAX_BODY_BYTES"),
            public_rate_limit=_int(
                get("PUBLIC_RATE_LIMIT", str(defaults.public_rate_limit)), "EXHIBITIONS_PUBLIC_RATE_LIMIT"
            ),
            scheduler=scheduler,  # type: ignore[arg-type]
            data_dir=get("DATA_DIR", defaults.data_dir),
            mail_claim_timeout=_int(
                get("MAIL_CLAIM_TIMEOUT", str(defaults.mail_claim_timeout)), "EXHIBITIONS_MAIL_CLAIM_TIMEOUT"
            ),
        )
        settings.check()
        return settings

    def check(self) -> None:
        """Refuse settings that cannot work, and in production those that are unsafe."""
        if not (
            self.database_url.startswith("sqlite:///") or self.database_url.startswith(("postgresql://", "postgres://"))
        ):
            raise ConfigurationError(
                f"EXHIBITIONS_DATABASE_URL must start with sqlite:/// or postgresql://, got {self.database_url!r}"
            )
        if self.smtp.starttls and self.smtp.tls:
            raise ConfigurationError(
                "EXHIBITIONS_SMTP_STARTTLS and EXHIBITIONS_SMTP_TLS exclude each other: "
                "STARTTLS for port 587, TLS for port 465"
            )
        if self.mail_claim_timeout < 2:
            raise ConfigurationError(
                f"EXHIBITIONS_MAIL_CLAIM_TIMEOUT must be at least 2 seconds, got {self.mail_claim_timeout}"
            )
        if self.is_production:
            if self.secret_key == DEFAULT_SECRET_KEY:
                raise ConfigurationError(
                    "EXHIBITIONS_SECRET_KEY is still the development default; production refuses to start. "
                    "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
                )
            if len(self.secret_key) < 32:
                raise ConfigurationError("EXHIBITIONS_SECRET_KEY must be at least 32 characters in production")
