"""The append-only audit log and the access log that later apps call on every sensitive read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from homeward.core.middleware import current_request_id
from homeward.core.models import AuditEvent

if TYPE_CHECKING:
    from homeward.accounts.models import Organisation, User

# Values that may go into `detail`: identifiers and flags, never free text.
_SAFE_DETAIL = (int, bool, type(None))


def _target_parts(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def record(
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    *,
    organisation: Organisation | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one event: who (`actor`), what (`action`, e.g. "joincode.batch_created"), which
    record (`target`). `detail` holds ids, numbers and short codes only."""
    for key, value in detail.items():
        if not isinstance(value, _SAFE_DETAIL) and not (
            isinstance(value, str) and len(value) <= 64
        ):
            raise ValueError(f"audit detail {key!r} must be an id, flag or short code")
    target_type, target_id = _target_parts(target)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        organisation=organisation,
        detail=detail,
        request_id=current_request_id(),
    )


def log_access(actor: User, target: models.Model, *, organisation: Organisation | None) -> None:
    """Record that a member of staff read a sensitive record (case, note, attachment…)."""
    record(actor, AuditEvent.VIEWED, target, organisation=organisation)


def viewers_of(target: models.Model) -> models.QuerySet[AuditEvent]:
    """Who viewed this record, newest first (for the manager's "who viewed this" tab)."""
    target_type, target_id = _target_parts(target)
    return AuditEvent.objects.for_target(target_type, target_id).views().select_related("actor")


def forget_target(target: models.Model) -> int:
    """When a record is deleted at the end of its own retention period, its audit trail goes
    with it (core.retention keeps such trails past the general period until then)."""
    target_type, target_id = _target_parts(target)
    return AuditEvent.objects.for_target(target_type, target_id).purge()
