from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from homeward.accounts.policies import acting_user
from homeward.core.models import Notification
from homeward.core.notifications import mark_read

PAGE_SIZE = 50


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    """Newest first, PAGE_SIZE to a page. One row more than a page is read to know whether
    there are older ones, so a page costs the same queries however many a member has."""
    raw = request.GET.get("page", "1")
    page = int(raw) if raw.isdigit() and int(raw) >= 1 else 1
    start = (page - 1) * PAGE_SIZE
    rows = list(
        Notification.objects.filter(recipient=acting_user(request))[start : start + PAGE_SIZE + 1]
    )
    context = {
        "notes": rows[:PAGE_SIZE],
        "page": page,
        "older": page + 1 if len(rows) > PAGE_SIZE else None,
        "newer": page - 1 if page > 1 else None,
    }
    return render(request, "core/notifications.html", context)


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    # No "id" at all means "mark everything read"; ids that aren't numbers mark nothing.
    raw = request.POST.getlist("id")
    ids = [int(i) for i in raw if i.isdigit()] if raw else None
    mark_read(acting_user(request), ids)
    return redirect("notifications")
