"""Joining with a card, printing join cards, and a member's own settings and data rights."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, time
from typing import cast

from allauth.account.decorators import reauthentication_required as _reauthentication_required
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from homeward.accounts import services
from homeward.accounts.decorators import staff_required
from homeward.accounts.forms import (
    AccountForm,
    CodeForm,
    DeleteAccountForm,
    JoinBatchForm,
    JoinForm,
    batch_initial,
)
from homeward.accounts.models import JoinBatch
from homeward.accounts.policies import acting_user, staff_membership
from homeward.core import datarights
from homeward.core.models import EmailFrequency
from homeward.core.notifications import set_email_frequency, settings_for
from homeward.core.qr import qr_svg
from homeward.core.ratelimit import rate_limit

View = Callable[..., HttpResponse]
# allauth's decorator is untyped: asks for the password again when the last sign-in is old.
# GET shows the page; the action itself (POST) asks for the password again if the last
# confirmation is older than ACCOUNT_REAUTHENTICATION_TIMEOUT.
reauthenticate_to_act = cast(Callable[[View], View], _reauthentication_required(allow_get=True))


@require_http_methods(["GET", "POST"])
def join_start(request: HttpRequest) -> HttpResponse:
    """Type the code from a card (for people who didn't scan the QR code)."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("accounts:join", code=form.cleaned_data["code"])
    return render(request, "accounts/join_start.html", {"form": form})


@require_http_methods(["GET", "POST"])
# Guessing codes: only answers that are refusals count, so a visitors' centre's shared Wi-Fi
# does not stop families joining.
@rate_limit("join_code", key="ip", methods=("GET", "POST"), failures_only=True)
def join(request: HttpRequest, code: str) -> HttpResponse:
    if request.user.is_authenticated:
        messages.info(request, "You're already signed in.")
        return redirect("home")
    try:
        join_code = services.find_join_code(code)
    except services.JoinCodeProblem as problem:
        status = 404 if problem.reason == "unknown" else 410
        return render(
            request,
            "accounts/join_problem.html",
            {"problem": problem, "form": CodeForm()},
            status=status,
        )
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.join_with_code(
                code,
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password"],
                email=form.cleaned_data["email"],
            )
        except services.JoinCodeProblem as problem:
            if problem.reason == "name_taken":
                form.add_error("display_name", problem.message)
            else:
                return render(
                    request,
                    "accounts/join_problem.html",
                    {"problem": problem, "form": CodeForm()},
                    status=410,
                )
        else:
            login(request, user, backend="homeward.accounts.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.public_name}. You're in.")
            return redirect("accounts:welcome")
    return render(request, "accounts/join.html", {"form": form, "join_code": join_code})


@login_required
@require_safe
def welcome(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/welcome.html")


# Join cards (staff) ---------------------------------------------------------------------------


def _batch_for(request: HttpRequest, pk: int) -> JoinBatch:
    """A batch of the acting staff member's own organisation, or 404."""
    membership = staff_membership(request.user)
    if membership is None:
        raise Http404
    return get_object_or_404(JoinBatch.objects.for_organisation(membership.organisation), pk=pk)


@staff_required
@require_safe
def cards_list(request: HttpRequest) -> HttpResponse:
    membership = staff_membership(request.user)
    if membership is None:  # a platform admin without an organisation
        raise Http404
    batches = JoinBatch.objects.for_organisation(membership.organisation).select_related(
        "created_by"
    )
    return render(
        request,
        "accounts/cards_list.html",
        {"batches": batches, "organisation": membership.organisation},
    )


@staff_required
@require_http_methods(["GET", "POST"])
@rate_limit("join_batch", key="user")
def cards_new(request: HttpRequest) -> HttpResponse:
    membership = staff_membership(request.user)
    if membership is None:
        raise Http404
    form = JoinBatchForm(request.POST or None, initial=batch_initial())
    if request.method == "POST" and form.is_valid():
        expires = timezone.make_aware(
            datetime.combine(form.cleaned_data["expires_on"], time(23, 59, 59))
        )
        batch = services.create_join_batch(
            acting_user(request),
            membership.organisation,
            distribution_point=form.cleaned_data["distribution_point"],
            size=form.cleaned_data["size"],
            uses_per_code=form.cleaned_data["uses_per_code"],
            expires_at=expires,
        )
        messages.success(request, f"{batch.code_count} cards are ready to print.")
        return redirect("accounts:cards_detail", pk=batch.pk)
    return render(request, "accounts/cards_new.html", {"form": form})


@staff_required
@require_safe
def cards_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    return render(
        request, "accounts/cards_detail.html", {"batch": batch, "codes": batch.codes.all()}
    )


@staff_required
@require_safe
def cards_print(request: HttpRequest, pk: int) -> HttpResponse:
    """An A4 sheet of wallet-size cards, 10 to a page, each with its code and a QR code.
    Cards that are already used up are left out, so a reprint is all usable cards."""
    batch = _batch_for(request, pk)
    if not batch.is_active:
        messages.error(
            request, "These cards have expired or been stopped, so they can't be printed."
        )
        return redirect("accounts:cards_detail", pk=batch.pk)
    base = request.build_absolute_uri("/").rstrip("/")
    cards = []
    for code in batch.codes.filter(uses__lt=batch.uses_per_code):
        url = f"{base}{reverse('accounts:join', args=[code.code])}"
        cards.append({"code": code, "url": url, "qr": qr_svg(url)})
    pages = [cards[i : i + 10] for i in range(0, len(cards), 10)]
    join_url = f"{base}{reverse('accounts:join_start')}"
    context = {"batch": batch, "pages": pages, "join_url": join_url, "card_count": len(cards)}
    return render(request, "accounts/cards_print.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def cards_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first: stopping a batch cannot be undone, and its cards may be in many wallets."""
    batch = _batch_for(request, pk)
    if request.method == "GET":
        return render(request, "accounts/cards_revoke.html", {"batch": batch})
    services.revoke_join_batch(acting_user(request), batch)
    messages.success(
        request, "Those cards no longer work. Anyone who already joined keeps their account."
    )
    return redirect("accounts:cards_detail", pk=batch.pk)


# A member's own account -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    prefs = settings_for(user)
    initial = {"display_name": user.public_name, "email_frequency": prefs.email_frequency}
    form = AccountForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        services.update_account(user, display_name=form.cleaned_data["display_name"])
        set_email_frequency(user, form.cleaned_data["email_frequency"])
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "no_email": not user.email, "frequency_never": EmailFrequency.NEVER},
    )


@login_required
@require_http_methods(["GET", "POST"])
@reauthenticate_to_act
@rate_limit("data_export", key="user")
def export_data(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "accounts/export.html")
    data = datarights.export_member(acting_user(request))
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="my-data-{timezone.localdate():%Y-%m-%d}.json"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
@reauthenticate_to_act
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        datarights.erase_member(acting_user(request))
        logout(request)
        return render(request, "accounts/deleted.html")
    return render(request, "accounts/delete.html", {"form": form})


@staff_required
@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/staff_home.html", {"membership": staff_membership(request.user)}
    )
