"""The Django admin is for platform admins only, behind the same second factor as staff pages.
Anyone else who is signed in gets 404; anonymous visitors are sent to the normal sign-in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from homeward.core import audit

V = TypeVar("V", bound=Callable[..., Any])


class _Audited:
    """Mixed into every ModelAdmin on our site: what the admin logs in its own LogEntry table
    (added, changed, deleted) goes into the audit log too, so it holds every action whatever
    screen it was taken on. Deletions are recorded one by one before they happen (the admin
    writes several at once without signals)."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)  # type: ignore[misc]
        audit.record(_actor(request), "admin.added", obj)
        return entry

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)  # type: ignore[misc]
        audit.record(_actor(request), "admin.changed", obj)
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            audit.record(_actor(request), "admin.deleted", obj)
        return super().log_deletions(request, queryset)  # type: ignore[misc]


def _actor(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else None


class HomewardAdminSite(admin.AdminSite):
    site_header = "Homeward platform administration"
    site_title = "Homeward admin"
    index_title = "Platform administration"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        audited = type(f"Audited{base.__name__}", (_Audited, base), {"__module__": base.__module__})
        super().register(model_or_iterable, audited, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_platform_admin", False))

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        next_url = request.GET.get("next", reverse("admin:index"))
        return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")

    def admin_view(self, view: V, cacheable: bool = False) -> V:
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def gate(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            from homeward.accounts.decorators import second_factor_redirect

            if request.user.is_authenticated:
                if not self.has_permission(request):
                    raise Http404
                redirect = second_factor_redirect(request)
                if redirect is not None:
                    return redirect
            return inner(request, *args, **kwargs)

        return cast(V, gate)
