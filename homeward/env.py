"""Typed helpers that read settings from environment variables and fail loudly on bad values."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit


class ConfigError(Exception):
    """A setting has a value Homeward cannot use; the message says which and why."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(sorted(choices))}, not {value!r}")
    return value


def _port(parts: SplitResult, variable: str) -> int | None:
    try:
        return parts.port
    except ValueError:
        raise ConfigError(f"{variable} has a port that is not a number") from None


def parse_database_url(url: str, *, base_dir: str) -> dict[str, Any]:
    """sqlite:///relative/path.sqlite3, sqlite:////absolute/path, or postgres://user:pw@host:port/db.

    For PostgreSQL over a Unix socket: postgres://user@/dbname?host=/path/to/socket/dir
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("//"):
            name = path[1:]
        elif path in {"", "/"}:
            raise ConfigError("DATABASE_URL for SQLite needs a file: sqlite:///db.sqlite3")
        else:
            name = os.path.join(base_dir, path.lstrip("/"))
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                # Writers queue instead of failing, and take the write lock up front so a read
                # that turns into a write cannot deadlock ("database is locked").
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA cache_size=-32000;"
                    "PRAGMA temp_store=MEMORY;"
                ),
            },
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        host = query.pop("host", None) or unquote(parts.hostname or "")
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError("DATABASE_URL for PostgreSQL needs a database name after the host")
        try:
            conn_max_age = int(query.pop("conn_max_age", "60"))
        except ValueError:
            raise ConfigError("DATABASE_URL conn_max_age must be a whole number") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": host,
            "PORT": str(_port(parts, "DATABASE_URL") or ""),
            "CONN_MAX_AGE": conn_max_age,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": query,
        }
    raise ConfigError(
        f"DATABASE_URL must start with sqlite:// or postgres://, not {parts.scheme!r}"
    )


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


def parse_email_url(url: str) -> EmailConfig:
    """console://, locmem://, dummy://, smtp://user:pw@host:587 (STARTTLS), smtps://…:465 (TLS)."""
    parts = urlsplit(url)
    simple = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if parts.scheme in simple:
        return EmailConfig(backend=simple[parts.scheme])
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ConfigError("EMAIL_URL needs a host: smtp://user:password@mail.example.org:587")
        return EmailConfig(
            backend="django.core.mail.backends.smtp.EmailBackend",
            host=parts.hostname,
            port=_port(parts, "EMAIL_URL") or (465 if parts.scheme == "smtps" else 587),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_tls=parts.scheme == "smtp",
            use_ssl=parts.scheme == "smtps",
        )
    # Name the scheme only: the whole URL may hold the mail password.
    raise ConfigError(
        f"EMAIL_URL must start with smtp://, smtps:// or console://, not {parts.scheme!r}"
    )
