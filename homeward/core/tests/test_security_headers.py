"""Security headers on every kind of response: public, signed in, error, admin and API; and the
production settings that add HSTS and host-only secure cookies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.http.response import HttpResponseBase
from django.test import Client

PROJECT = Path(settings.BASE_DIR)


def policy(response: HttpResponseBase) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives: dict[str, list[str]] = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_security_headers(response: HttpResponseBase) -> None:
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert not any("unsafe" in source for sources in csp.values() for source in sources)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    features = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


@pytest.mark.django_db
def test_public_page_sends_every_security_header(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert_security_headers(response)
    # Public pages may be cached; signed-in pages may not (below).
    assert "no-store" not in response.get("Cache-Control", "")


def test_signed_in_page_sends_every_security_header_and_no_store(people) -> None:
    response = people["family"].client().get("/notifications/")

    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_error_page_sends_every_security_header(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_security_headers(response)


def test_admin_sends_the_same_strict_policy(people) -> None:
    response = people["platform_admin"].client().get("/admin/")

    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/oruk/openapi.json", "/api/oruk/docs"])
def test_api_responses_send_every_security_header(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_api_docs_page_uses_only_our_own_files(client: Client) -> None:
    # Ninja serves its bundled Swagger UI (ninja in INSTALLED_APPS): no CDN, no inline script.
    html = client.get("/api/oruk/docs").content.decode()

    assert "cdn.jsdelivr.net" not in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "<script>" not in html


# Production settings ----------------------------------------------------------------------------

GOOD_SECRET = "k" * 20 + "-a-long-random-production-secret-value-0123456789"


def production_setting(*names: str) -> list[str]:
    """The values of settings in a fresh interpreter with production settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"HOMEWARD_ENV", "DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "HOMEWARD_ENV": "production",
        "SECRET_KEY": GOOD_SECRET,
        "DJANGO_SETTINGS_MODULE": "homeward.settings",
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print('\\n'.join(repr(getattr(settings, n)) for n in {list(names)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_production_sends_hsts_and_keeps_cookies_secure_and_host_only() -> None:
    values = production_setting(
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "SESSION_COOKIE_HTTPONLY",
        "ALLAUTH_TRUSTED_PROXY_COUNT",
    )

    assert int(values[0]) >= 31536000
    assert values[1:5] == ["True"] * 4
    # __Host- cookies: the browser refuses them unless Secure, Path=/ and no Domain.
    assert values[5:7] == ["'__Host-sessionid'", "'__Host-csrftoken'"]
    assert values[7] == "True"
    assert values[8] == "1"


def test_cookies_are_host_only_with_path_root() -> None:
    # A __Host- cookie with a Domain or another path is dropped by browsers: keep the defaults.
    assert settings.SESSION_COOKIE_DOMAIN is None
    assert settings.CSRF_COOKIE_DOMAIN is None
    assert settings.SESSION_COOKIE_PATH == "/"
    assert settings.CSRF_COOKIE_PATH == "/"
