"""How django-allauth fits Homeward: display names, discreet e-mail, plain throttling pages."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from django.http import HttpRequest

# For two-step sign-in settings, a password typed this recently counts as confirming it: a new
# member of staff sent to set up their authenticator straight after signing in is not asked for
# the same password again.
FRESH_SIGN_IN_SECONDS = 300


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        if app != "allauth.mfa":
            return True  # downloading or deleting your data always asks again
        request = getattr(self, "request", None)
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        now = time.time()
        fresh = any(
            r.get("method") == "password" and now - float(r.get("at", 0)) < FRESH_SIGN_IN_SECONDS
            for r in records
        )
        return not fresh

    def clean_username(self, username: str, shallow: bool = False) -> str:
        username = super().clean_username(username, shallow=shallow)
        # The sign-in name is also the name shown: the same rules as joining with a card.
        if not shallow:
            from homeward.accounts.forms import _name_is_free

            if not _name_is_free(username):
                raise self.validation_error("username_taken")
        return str(username)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        if not user.display_name:
            user.display_name = user.username
        if commit:
            user.save()
        return user
