"""Settings come from environment variables through typed helpers that fail loudly, naming the
variable, so a typo in production stops the process instead of running with a surprise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from homeward.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    parse_database_url,
    parse_email_url,
)

PROJECT_DIR = Path(__file__).resolve().parents[3]
VAR = "HOMEWARD_TEST_SETTING"


# --- env_bool ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "True", "YES", "on", " on "])
def test_env_bool_reads_true(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, False) is True


@pytest.mark.parametrize("raw", ["0", "false", "FALSE", "no", "off"])
def test_env_bool_reads_false(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_unset_or_empty_gives_the_default(monkeypatch, default):
    monkeypatch.delenv(VAR, raising=False)
    assert env_bool(VAR, default) is default
    monkeypatch.setenv(VAR, "")
    assert env_bool(VAR, default) is default


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled", "t"])
def test_env_bool_rejects_anything_else_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ConfigError, match=VAR):
        env_bool(VAR, False)


# --- env_int ----------------------------------------------------------------------------------


def test_env_int_reads_whole_numbers(monkeypatch):
    monkeypatch.setenv(VAR, "1800")
    assert env_int(VAR, 5) == 1800


def test_env_int_unset_or_empty_gives_the_default(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    assert env_int(VAR, 5) == 5
    monkeypatch.setenv(VAR, "")
    assert env_int(VAR, 5) == 5


@pytest.mark.parametrize("raw", ["ten", "1.5", "30m", "0x10"])
def test_env_int_rejects_non_numbers_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ConfigError, match=VAR):
        env_int(VAR, 5)


def test_env_int_enforces_the_minimum_naming_the_variable(monkeypatch):
    monkeypatch.setenv(VAR, "59")
    with pytest.raises(ConfigError, match=rf"{VAR} must be at least 60"):
        env_int(VAR, 1800, minimum=60)
    monkeypatch.setenv(VAR, "60")
    assert env_int(VAR, 1800, minimum=60) == 60


def test_env_int_refuses_negative_numbers_by_default(monkeypatch):
    monkeypatch.setenv(VAR, "-1")
    with pytest.raises(ConfigError, match=VAR):
        env_int(VAR, 5)


# --- env_list ---------------------------------------------------------------------------------


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv(VAR, " families.example.org, www.families.example.org ,,")
    assert env_list(VAR, ["x"]) == ["families.example.org", "www.families.example.org"]


def test_env_list_unset_gives_the_default_but_empty_means_empty(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    assert env_list(VAR, ["localhost"]) == ["localhost"]
    monkeypatch.setenv(VAR, "")
    assert env_list(VAR, ["localhost"]) == []


# --- env_choice -------------------------------------------------------------------------------


def test_env_choice_accepts_a_listed_value_and_defaults_when_unset(monkeypatch):
    choices = {"development", "test", "production"}
    monkeypatch.setenv(VAR, "production")
    assert env_choice(VAR, "development", choices) == "production"
    monkeypatch.delenv(VAR)
    assert env_choice(VAR, "development", choices) == "development"


@pytest.mark.parametrize("raw", ["prod", "Production", ""])
def test_env_choice_rejects_other_values_naming_the_variable_and_choices(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ConfigError, match=VAR) as caught:
        env_choice(VAR, "development", {"development", "test", "production"})
    assert "development, production, test" in str(caught.value)


# --- parse_database_url -----------------------------------------------------------------------


def _assert_sqlite_tuned(config):
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    options = config["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert "foreign_keys=ON" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] > 0


def test_sqlite_relative_path_is_inside_the_project():
    config = parse_database_url("sqlite:///var/homeward.sqlite3", base_dir="/srv/homeward")
    assert config["NAME"] == "/srv/homeward/var/homeward.sqlite3"
    _assert_sqlite_tuned(config)


def test_sqlite_absolute_path_is_kept():
    config = parse_database_url("sqlite:////data/homeward.sqlite3", base_dir="/srv/homeward")
    assert config["NAME"] == "/data/homeward.sqlite3"
    _assert_sqlite_tuned(config)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///"])
def test_sqlite_without_a_file_is_refused(url):
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        parse_database_url(url, base_dir="/srv/homeward")


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_postgres_with_host_port_user_and_password(scheme):
    config = parse_database_url(
        f"{scheme}://homeward:s%40cret%2Fpw@db.example.org:6543/families", base_dir="/x"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "families"
    assert config["USER"] == "homeward"
    assert config["PASSWORD"] == "s@cret/pw"
    assert config["HOST"] == "db.example.org"
    assert config["PORT"] == "6543"
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["CONN_MAX_AGE"] == 60
    assert config["OPTIONS"] == {}


def test_postgres_over_a_unix_socket():
    config = parse_database_url("postgres://postgres@/homeward?host=/run/postgresql", base_dir="/x")
    assert config["HOST"] == "/run/postgresql"
    assert config["PORT"] == ""
    assert config["USER"] == "postgres"
    assert config["PASSWORD"] == ""
    assert config["NAME"] == "homeward"
    # `host` configures the connection; it is not passed on to psycopg a second time.
    assert config["OPTIONS"] == {}


def test_postgres_query_sets_connection_age_and_passes_other_options_to_the_driver():
    config = parse_database_url(
        "postgres://u:p@db/homeward?conn_max_age=0&sslmode=require", base_dir="/x"
    )
    assert config["CONN_MAX_AGE"] == 0
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_postgres_without_a_database_name_is_refused():
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        parse_database_url("postgres://u:p@db.example.org:5432/", base_dir="/x")


@pytest.mark.parametrize(
    "url",
    [
        "postgres://u:p@db.example.org:port/homeward",  # a port that is not a number
        "postgres://u:p@db.example.org/homeward?conn_max_age=soon",
    ],
)
def test_postgres_bad_numbers_are_a_config_error_naming_the_variable(url):
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        parse_database_url(url, base_dir="/x")


@pytest.mark.parametrize(
    "url", ["mysql://u:p@db/homeward", "postgress://u:p@db/homeward", "db.sqlite3", ""]
)
def test_unknown_database_scheme_is_refused(url):
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        parse_database_url(url, base_dir="/x")


def test_database_error_does_not_print_the_password():
    with pytest.raises(ConfigError) as caught:
        parse_database_url("mysql://homeward:hunter2-secret@db/homeward", base_dir="/x")
    assert "hunter2-secret" not in str(caught.value)


# --- parse_email_url --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        ("locmem://", "django.core.mail.backends.locmem.EmailBackend"),
        ("dummy://", "django.core.mail.backends.dummy.EmailBackend"),
    ],
)
def test_email_simple_backends(url, backend):
    config = parse_email_url(url)
    assert config.backend == backend
    assert config.host == ""


def test_email_smtp_uses_starttls_on_587():
    config = parse_email_url("smtp://apikey:p%40ss@smtp.example.org")
    assert config.backend == "django.core.mail.backends.smtp.EmailBackend"
    assert config.host == "smtp.example.org"
    assert config.port == 587
    assert config.user == "apikey"
    assert config.password == "p@ss"
    assert config.use_tls is True
    assert config.use_ssl is False


def test_email_smtps_uses_implicit_tls_on_465():
    config = parse_email_url("smtps://apikey:secret@smtp.example.org")
    assert config.port == 465
    assert config.use_ssl is True
    assert config.use_tls is False


def test_email_explicit_port_is_kept():
    assert parse_email_url("smtp://smtp.example.org:2525").port == 2525


@pytest.mark.parametrize(
    "url",
    [
        "smtp://",  # no host
        "smtp://user:pw@",  # no host either
        "http://smtp.example.org",
        "sendmail://localhost",
        "smtp://smtp.example.org:port",  # a port that is not a number
    ],
)
def test_bad_email_urls_are_refused_naming_the_variable(url):
    with pytest.raises(ConfigError, match="EMAIL_URL"):
        parse_email_url(url)


def test_email_error_does_not_print_the_password():
    """The message goes to the process log; a typo in the scheme must not leak the secret."""
    with pytest.raises(ConfigError) as caught:
        parse_email_url("smpt://apikey:hunter2-secret@smtp.example.org:587")
    assert "EMAIL_URL" in str(caught.value)
    assert "hunter2-secret" not in str(caught.value)


# --- the settings module itself ---------------------------------------------------------------


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.update({"HOMEWARD_ENV": "test", **env})
    return subprocess.run(
        [sys.executable, "-c", "import homeward.settings"],
        cwd=PROJECT_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_import_cleanly_with_good_values():
    result = _import_settings(DEBUG="false")
    assert result.returncode == 0, result.stderr


def test_a_bad_debug_value_stops_the_process_naming_debug():
    result = _import_settings(DEBUG="sometimes")
    assert result.returncode != 0
    assert "ConfigError" in result.stderr
    assert "DEBUG must be true or false" in result.stderr


def test_production_refuses_debug_and_a_weak_secret_key():
    debug_on = _import_settings(HOMEWARD_ENV="production", DEBUG="true", SECRET_KEY="x" * 60)
    assert debug_on.returncode != 0
    assert "DEBUG must be off in production" in debug_on.stderr

    weak_key = _import_settings(HOMEWARD_ENV="production", SECRET_KEY="short")
    assert weak_key.returncode != 0
    assert "SECRET_KEY" in weak_key.stderr


def test_an_unknown_environment_name_stops_the_process():
    result = _import_settings(HOMEWARD_ENV="staging")
    assert result.returncode != 0
    assert "HOMEWARD_ENV" in result.stderr
