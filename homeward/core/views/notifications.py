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
    notes = list(Notification.objects.filter(recipient=acting_user(request))[:PAGE_SIZE])
    return render(request, "core/notifications.html", {"notes": notes})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    # No "id" at all means "mark everything read"; ids that aren't numbers mark nothing.
    raw = request.POST.getlist("id")
    ids = [int(i) for i in raw if i.isdigit()] if raw else None
    mark_read(acting_user(request), ids)
    return redirect("notifications")
