"""How django-allauth fits Homeward: display names, discreet e-mail, plain throttling pages."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
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
