"""allauth's two-step (MFA) views, made all-or-nothing where allauth writes more than one row.

allauth (65.x) removes an authenticator app and then, if nothing else is left, the recovery
codes, without a transaction: a failure between the two left recovery codes behind with no
authenticator (found by the database-down drill). Our URLconf serves this wrapper at allauth's
own address, ahead of `allauth.urls`, so `reverse("mfa_deactivate_totp")` still finds it."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.views import deactivate_totp as allauth_deactivate_totp
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase


def deactivate_totp(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
    response: HttpResponseBase
    if request.method in ("GET", "HEAD", "OPTIONS"):  # the confirmation page only reads
        response = allauth_deactivate_totp(request, *args, **kwargs)
        return response
    with transaction.atomic():
        response = allauth_deactivate_totp(request, *args, **kwargs)
        return response
