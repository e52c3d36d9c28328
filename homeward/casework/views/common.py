"""What every staff casework view shares: the gate, the acting member's organisation."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from homeward.accounts.decorators import staff_required
from homeward.accounts.models import STAFF_ROLES, Membership, Organisation, User
from homeward.accounts.policies import acting_user
from homeward.casework.models import CaseworkSettings
from homeward.casework.policies import casework_membership
from homeward.casework.services.common import settings_for

View = Callable[..., HttpResponse]


def casework_staff(view: View) -> View:
    """The staff gate (sign-in, second factor), then: only staff of an organisation do
    casework. Anyone else, a platform admin without a membership included, gets 404."""

    @wraps(view)
    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if casework_membership(request.user) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return staff_required(inner)


def me(request: HttpRequest) -> User:
    return acting_user(request)


def membership(request: HttpRequest) -> Membership:
    found = casework_membership(request.user)
    if found is None:
        raise Http404
    return found


def organisation(request: HttpRequest) -> Organisation:
    return membership(request).organisation


def org_settings(request: HttpRequest) -> CaseworkSettings:
    return settings_for(organisation(request))


def staff_users(org: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation=org, memberships__role__in=STAFF_ROLES, is_active=True
    ).order_by("display_name", "username")
