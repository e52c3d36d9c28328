"""Receivers for django-allauth's sign-in signals: plumbing, not domain logic."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.account.signals import user_logged_in
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from homeward.core import audit


@receiver(authenticator_added)
def second_factor_enrolled(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    # Enrolling proves possession of the authenticator: count it as this session's second factor.
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True
    )
    audit.record(user, "account.second_factor_enrolled", authenticator)


@receiver(user_logged_in)
def signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.record(user, "account.signed_in", user)


@receiver(user_logged_out)
def signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(user, "account.signed_out", user)
