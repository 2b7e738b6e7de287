from __future__ import annotations

import pytest

from exhibitions.errors import ConfigurationError
from exhibitions.settings import DEFAULT_SECRET_KEY, Settings


def test_defaults_run_on_sqlite_under_var() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///var/exhibitions.sqlite3"
    assert settings.is_sqlite is True
    assert settings.default_language == "fr"
    assert settings.environment == "development"
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.starttls, settings.smtp.tls) == (
        "127.0.0.1", 1025, False, False,
    )  # fmt: skip
    assert settings.scheduler == "inline"


def test_reads_every_exhibitions_variable() -> None:
    settings = Settings.from_env(
        {
            "EXHIBITIONS_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test",
            "EXHIBITIONS_SECRET_KEY": "k" * 40,
            "EXHIBITIONS_BASE_URL": "https://salon.example.ma/",
            "EXHIBITIONS_DEFAULT_LANGUAGE": "ar",
            "EXHIBITIONS_ENV": "production",
            "EXHIBITIONS_SMTP_HOST": "mail.example.ma",
            "EXHIBITIONS_SMTP_PORT": "587",
            "EXHIBITIONS_SMTP_STARTTLS": "yes",
            "EXHIBITIONS_MAIL_FROM": "Salon <salon@example.ma>",
            "EXHIBITIONS_SMTP_USERNAME": "salon",
            "EXHIBITIONS_SMTP_PASSWORD": "mail-secret",
            "EXHIBITIONS_SCHEDULER": "off",
        }
    )
    assert settings.is_sqlite is False
    assert settings.base_url == "https://salon.example.ma"
    assert settings.default_language == "ar"
    assert settings.is_production is True
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.starttls) == ("mail.example.ma", 587, True)
    assert settings.smtp.sender == "Salon <salon@example.ma>"
    assert (settings.smtp.username, settings.smtp.password, settings.smtp.tls) == ("salon", "mail-secret", False)
    assert "mail-secret" not in repr(settings)
    assert settings.scheduler == "off"


def test_implicit_tls_for_port_465() -> None:
    settings = Settings.from_env({"EXHIBITIONS_SMTP_PORT": "465", "EXHIBITIONS_SMTP_TLS": "true"})
    assert (settings.smtp.port, settings.smtp.tls, settings.smtp.starttls) == (465, True, False)


def test_starttls_and_tls_exclude_each_other() -> None:
    with pytest.raises(
        ConfigurationError, match="EXHIBITIONS_SMTP_STARTTLS and EXHIBITIONS_SMTP_TLS exclude each other"
    ):
        Settings.from_env({"EXHIBITIONS_SMTP_STARTTLS": "true", "EXHIBITIONS_SMTP_TLS": "true"})


def test_production_refuses_the_default_secret_key() -> None:
    with pytest.raises(ConfigurationError, match="EXHIBITIONS_SECRET_KEY is still the development default"):
        Settings.from_env({"EXHIBITIONS_ENV": "production", "EXHIBITIONS_SECRET_KEY": DEFAULT_SECRET_KEY})


def test_production_refuses_a_short_secret_key() -> None:
    with pytest.raises(ConfigurationError, match="at least 32 characters"):
        Settings.from_env({"EXHIBITIONS_ENV": "production", "EXHIBITIONS_SECRET_KEY": "short"})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("EXHIBITIONS_DATABASE_URL", "mysql://x", "must start with sqlite:/// or postgresql://"),
        ("EXHIBITIONS_DEFAULT_LANGUAGE", "de", "must be one of ar, fr, en"),
        ("EXHIBITIONS_ENV", "staging", "must be development or production"),
        ("EXHIBITIONS_SMTP_PORT", "twenty-five", "must be a whole number"),
        ("EXHIBITIONS_SMTP_STARTTLS", "maybe", "must be true or false"),
        ("EXHIBITIONS_SMTP_TLS", "maybe", "must be true or false"),
        ("EXHIBITIONS_SCHEDULER", "cron", "EXHIBITIONS_SCHEDULER must be inline or off"),
    ],
)
def test_bad_values_are_named(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Settings.from_env({name: value})
