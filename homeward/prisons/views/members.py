"""What signed-in members do: follow prisons (privately), record a move, add and mark tips."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from homeward.accounts.policies import acting_user
from homeward.core.ratelimit import rate_limit
from homeward.prisons import policies, services
from homeward.prisons.forms import MovedForm, TipForm
from homeward.prisons.models import Alert, Prison, Tip


def _prison(code: str) -> Prison:
    return get_object_or_404(Prison.objects.defer("record"), code=code.upper())


def _published_tip(pk: int) -> Tip:
    return get_object_or_404(
        Tip.objects.published().select_related("prison").defer("prison__record"), pk=pk
    )


def _back_to(tip: Tip) -> HttpResponse:
    return redirect(f"{reverse('prisons:detail', args=[tip.prison_id])}#tip-{tip.pk}")


@require_safe
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The prisons this member follows, with any current alerts. Nobody else sees this list."""
    prisons = services.followed_prisons(acting_user(request))
    alerts = list(
        Alert.objects.current()
        .filter(prison__in=[p.code for p in prisons])
        .select_related("prison")
        .only("message", "created_at", "expires_at", "prison__code", "prison__name")
    )
    return render(request, "prisons/mine.html", {"prisons": prisons, "alerts": alerts})


@require_POST
@login_required
def follow(request: HttpRequest, code: str) -> HttpResponse:
    prison = _prison(code)
    if services.follow(acting_user(request), prison):
        messages.success(
            request,
            f"You're following {prison.name}. We'll tell you when its visiting information "
            "changes. Only you can see this.",
        )
    return redirect("prisons:detail", code=prison.code)


@require_POST
@login_required
def unfollow(request: HttpRequest, code: str) -> HttpResponse:
    prison = _prison(code)
    if services.unfollow(acting_user(request), prison):
        messages.success(request, f"You've stopped following {prison.name}.")
    if request.POST.get("from") == "mine":
        return redirect("prisons:mine")
    return redirect("prisons:detail", code=prison.code)


@require_http_methods(["GET", "POST"])
@login_required
def moved(request: HttpRequest, code: str) -> HttpResponse:
    """ "They've been moved": choose the new prison; follows move across; see what's different."""
    prison = _prison(code)
    form = MovedForm(request.POST or None, current=prison)
    if request.method == "POST" and form.is_valid():
        new = form.cleaned_data["new_prison"]
        services.record_transfer(acting_user(request), prison, new)
        messages.success(request, f"You're now following {new.name} instead of {prison.name}.")
        return redirect("prisons:compare", old=prison.code, new=new.code)
    return render(request, "prisons/moved.html", {"prison": prison, "form": form})


@require_POST
@login_required
@rate_limit("tip", key="user")
def tip_add(request: HttpRequest, code: str) -> HttpResponse:
    prison = _prison(code)
    user = acting_user(request)
    form = TipForm(request.POST)
    if not form.is_valid():
        return render(
            request, "prisons/tip_form.html", {"prison": prison, "form": form}, status=400
        )
    tip = services.add_tip(user, prison, form.cleaned_data["body"])
    if tip.status == Tip.Status.PUBLISHED:
        messages.success(request, "Thank you: your tip is on the page.")
    else:
        messages.success(
            request,
            "Thank you. A moderator will read your tip soon, then it will appear on the page.",
        )
    return redirect(f"{reverse('prisons:detail', args=[prison.code])}#tips")


@require_POST
@login_required
def tip_helpful(request: HttpRequest, pk: int) -> HttpResponse:
    tip = _published_tip(pk)
    if services.mark_helpful(acting_user(request), tip):
        messages.success(request, "Thanks: we've let others know this tip helped.")
    return _back_to(tip)


@require_POST
@login_required
def tip_flag(request: HttpRequest, pk: int) -> HttpResponse:
    tip = _published_tip(pk)
    if not policies.can_mark_tip(request.user, tip):
        raise Http404
    if services.flag_tip(acting_user(request), tip):
        messages.success(request, "Thank you. A moderator will look at this tip.")
    return _back_to(tip)
