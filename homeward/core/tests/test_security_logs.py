"""Logs never hold a secret: the journeys that handle passwords, session keys, authenticator
secrets and recovery codes are run with every log record captured, and none of those values
may appear in any record (message, arguments, extra fields or traceback)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from conftest import sign_in
from homeward.accounts import factories
from homeward.accounts.models import Role
from homeward.core.testing.browser import totp_code

PASSWORD = factories.DEMO_PASSWORD
WRONG_PASSWORD = "wrong-horse-battery-staple-41"
JOIN_PASSWORD = "kettle on the windowsill 93"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self) -> list[str]:
        """Everything a formatter or a log shipper could write for each record."""
        formatter = logging.Formatter()
        return [f"{formatter.format(r)} {r.args!r} {vars(r)!r}" for r in self.records]


@pytest.fixture
def captured() -> Iterator[Capture]:
    """Capture every record at every level, from the root logger and from the loggers that
    do not pass records up to it (django.request, django.security)."""
    handler = Capture()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    cache.clear()
    # The capture sees loggers that pass records up and those that do not.
    logging.getLogger("homeward.test").debug("marker")
    logging.getLogger("django.security.test").debug("marker")
    logging.getLogger("django.request").debug("marker")
    assert len(handler.records) == 3
    handler.records.clear()
    try:
        yield handler
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
        cache.clear()


def assert_not_logged(captured: Capture, secrets: dict[str, str]) -> None:
    texts = captured.texts()
    for what, secret in secrets.items():
        assert secret, what
        leaks = [text for text in texts if secret in text]
        assert not leaks, f"{what} appears in the logs: {leaks[0][:300]}"


def session_keys() -> dict[str, str]:
    return {f"session key {s.session_key}": s.session_key for s in Session.objects.all()}


def test_signing_in_writes_no_password_or_session_key_to_the_logs(captured, family) -> None:
    client = Client()
    refused = client.post("/accounts/login/", {"login": "Robin Mum 7", "password": WRONG_PASSWORD})
    signed_in = client.post("/accounts/login/", {"login": "Robin Mum 7", "password": PASSWORD})
    client.get("/no-such-page/")  # an error page logs its reference and path

    assert refused.status_code == 200
    assert signed_in.status_code == 302
    assert captured.records  # at least the error page's record
    assert_not_logged(
        captured,
        {"wrong password": WRONG_PASSWORD, "password": PASSWORD, **session_keys()},
    )


def test_second_factor_enrolment_and_sign_in_log_no_secret_or_recovery_code(
    captured, org_a
) -> None:
    # A new member of staff sets up an authenticator app...
    new_worker = factories.make_member("worker-new", org_a, Role.SUPPORT_WORKER, totp=False)
    enrolling = sign_in(Client(), new_worker, second_factor=False)
    enrolling.get("/accounts/2fa/totp/activate/")
    secret = enrolling.session["mfa.totp.secret"]
    enrolled = enrolling.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    enrolling.get("/accounts/2fa/recovery-codes/")
    assert enrolled.status_code == 302
    # ...and another signs in with a password, then a recovery code instead of the app.
    worker = factories.make_member("worker-a", org_a, Role.SUPPORT_WORKER)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=worker, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    client = Client()
    client.post("/accounts/login/", {"login": "worker-a", "password": PASSWORD})
    second_step = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    client.get("/staff/")
    assert second_step.status_code == 302

    new_codes = RecoveryCodes(
        Authenticator.objects.get(user=new_worker, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert_not_logged(
        captured,
        {
            "new TOTP secret": secret,
            "demo TOTP secret": factories.DEMO_TOTP_SECRET,
            "password": PASSWORD,
            **{f"recovery code {c}": c for c in codes + new_codes},
            **session_keys(),
        },
    )


def test_joining_and_exporting_data_log_no_password_or_session_key(
    captured, org_a, worker_a
) -> None:
    batch = factories.make_join_batch(org_a, worker_a, distribution_point="Lewes", size=1)
    code = batch.codes.get().code
    visitor = Client()
    joined = visitor.post(
        f"/join/{code}/",
        {"display_name": "Bramble Auntie 5", "password": JOIN_PASSWORD, "email": ""},
    )
    assert joined.status_code == 302
    member = factories.make_member("Wren Dad 8", org_a, Role.FAMILY)
    client = sign_in(Client(), member)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})  # asked before exporting
    export = client.post("/settings/export/")

    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/json")
    assert_not_logged(
        captured, {"join password": JOIN_PASSWORD, "password": PASSWORD, **session_keys()}
    )
