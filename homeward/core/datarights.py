"""Data rights: every app registers how to export and how to erase what it holds about a member.

`export_member(user)` gathers one JSON-ready dict; `erase_member(user)` runs every eraser in one
transaction, then records the request. Apps register in their AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from homeward.core import audit
from homeward.core.models import AuditEvent, DataRequest, Notification, NotificationSettings

if TYPE_CHECKING:
    from homeward.accounts.models import User

Exporter = Callable[["User"], dict[str, Any]]
Eraser = Callable[["User"], None]


@dataclass(frozen=True)
class Handler:
    name: str
    export: Exporter
    erase: Eraser
    # Lower runs first when erasing; accounts (which anonymises the user row itself) runs last.
    order: int = 50


_registry: dict[str, Handler] = {}


def register(name: str, *, export: Exporter, erase: Eraser, order: int = 50) -> None:
    _registry[name] = Handler(name=name, export=export, erase=erase, order=order)


def handlers() -> list[Handler]:
    return sorted(_registry.values(), key=lambda h: (h.order, h.name))


@transaction.atomic
def export_member(user: User) -> dict[str, Any]:
    request = DataRequest.objects.create(user=user, kind=DataRequest.Kind.EXPORT)
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "about": "Everything this site holds about you, grouped by the part of the site that keeps it.",
    }
    for handler in handlers():
        data[handler.name] = handler.export(user)
    request.completed_at = timezone.now()
    request.handlers = [h.name for h in handlers()]
    request.save(update_fields=["completed_at", "handlers"])
    audit.record(user, "datarights.exported", request)
    return data


@transaction.atomic
def erase_member(user: User) -> DataRequest:
    """Erase a member's personal data. Public contributions stay, shown as "former member"."""
    request = DataRequest.objects.create(user=user, kind=DataRequest.Kind.ERASURE)
    audit.record(user, "datarights.erasure_requested", request)
    for handler in handlers():
        handler.erase(user)
    request.completed_at = timezone.now()
    request.handlers = [h.name for h in handlers()]
    request.save(update_fields=["completed_at", "handlers"])
    return request


def _export_core(user: User) -> dict[str, Any]:
    prefs = NotificationSettings.objects.filter(user=user).first()
    return {
        "notification_settings": {"email_frequency": prefs.email_frequency} if prefs else None,
        "notifications": [
            {
                "title": n.title,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at")
        ],
        "activity_log": [
            {"action": e.action, "at": e.created_at.isoformat(), "record": e.target_type}
            for e in AuditEvent.objects.filter(actor=user).order_by("created_at")
        ],
        "data_requests": [
            {"kind": r.kind, "requested_at": r.requested_at.isoformat()}
            for r in DataRequest.objects.filter(user=user).order_by("requested_at")
        ],
    }


def _erase_core(user: User) -> None:
    Notification.objects.filter(recipient=user).delete()
    NotificationSettings.objects.filter(user=user).delete()
    # The audit log is kept (it records actions, never content); the actor row is anonymised.


def register_core_handlers() -> None:
    register("core", export=_export_core, erase=_erase_core, order=10)
