"""The authentication backends: Django's and allauth's, loading the signed-in person on each
request together with the one-to-one rows nearly every page reads
(`settings.AUTH_USER_SELECT_RELATED`, e.g. the community standing), in the same query."""

from __future__ import annotations

from typing import Any

from allauth.account import auth_backends as allauth_backends
from django.conf import settings
from django.contrib.auth import backends, get_user_model


class _LoadsRelatedRows:
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        related = tuple(getattr(settings, "AUTH_USER_SELECT_RELATED", ()))
        try:
            user = model._default_manager.select_related(*related).get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(_LoadsRelatedRows, backends.ModelBackend):
    """Django's username-and-password backend (join-by-card sign-ins are recorded with it)."""


class AuthenticationBackend(_LoadsRelatedRows, allauth_backends.AuthenticationBackend):  # type: ignore[misc]
    """allauth's backend (sign-in by e-mail address or username)."""
