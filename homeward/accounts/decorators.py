"""The gate in front of every staff page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from homeward.accounts.policies import has_verified_second_factor, is_staff

View = Callable[..., HttpResponse]
AFTER_SECOND_FACTOR = "after_second_factor"


def _has_totp(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


def _has_verified_email(user: Any) -> bool:
    from allauth.account.models import EmailAddress

    return bool(EmailAddress.objects.filter(user=user, verified=True).exists())


def second_factor_redirect(request: HttpRequest) -> HttpResponse | None:
    """Where a member of staff must go before a staff page answers, or None when they may pass:
    a verified e-mail address first (for password resets and alerts), then a second factor."""
    next_qs = urlencode({"next": request.get_full_path()})
    if not _has_verified_email(request.user):
        messages.info(
            request,
            "Staff accounts need a confirmed e-mail address. Add one, or confirm the one you have.",
        )
        return HttpResponseRedirect(f"{reverse('account_email')}?{next_qs}")
    if not _has_totp(request.user):
        # Where to carry on once enrolled (allauth ends enrolment on the recovery-codes page).
        request.session[AFTER_SECOND_FACTOR] = request.get_full_path()
        messages.info(
            request,
            "Staff accounts need a second step at sign-in. Set up an authenticator app to continue.",
        )
        return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{next_qs}")
    if not has_verified_second_factor(request):
        return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{next_qs}")
    return None


def staff_required(view: View) -> View:
    """Anonymous → sign in; not staff → 404 (nobody learns the page exists); staff without a
    verified e-mail or a second factor in this session → add or confirm it first."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff(request.user):
            raise Http404
        redirect = second_factor_redirect(request)
        if redirect is not None:
            return redirect
        request.session.pop(AFTER_SECOND_FACTOR, None)
        return view(request, *args, **kwargs)

    return wrapper
