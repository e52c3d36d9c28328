"""The real site's URLs plus views that fail on purpose, for the error-page tests."""

from __future__ import annotations

from unittest import mock

from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from homeward import urls as site

PRIVATE_DETAIL = "private detail 5f3a: Robin's case 1234"


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(PRIVATE_DETAIL)


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(PRIVATE_DETAIL)


def database_gone(request: HttpRequest) -> HttpResponse:
    """The database goes away in the middle of a request and stays away while the error page
    is made. The test that calls this stops the patch (mock.patch.stopall) afterwards."""
    mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")).start()
    raise OperationalError(PRIVATE_DETAIL)


urlpatterns = [
    *site.urlpatterns,
    path("test-errors/boom/", boom),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/database-gone/", database_gone),
]

handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500
handler429 = site.handler429
