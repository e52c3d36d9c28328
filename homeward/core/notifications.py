"""Notifications: the in-app list with its unread count, and e-mail through a background task."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from homeward.core.models import EmailFrequency, Notification, NotificationSettings

if TYPE_CHECKING:
    from homeward.accounts.models import User


def settings_for(user: User) -> NotificationSettings:
    prefs, _ = NotificationSettings.objects.get_or_create(user=user)
    return prefs


@transaction.atomic
def notify(recipient: User, *, kind: str, title: str, url: str = "") -> Notification:
    """Tell a member something. `title` must be discreet: it may be read over a shoulder or
    on a lock screen, so it never names prison unless the member chose that word."""
    from homeward.core.tasks import send_notification_email

    note = Notification.objects.create(recipient=recipient, kind=kind, title=title[:200], url=url)
    prefs = settings_for(recipient)
    NotificationSettings.objects.filter(pk=prefs.pk).update(unread_count=F("unread_count") + 1)
    if (
        recipient.email
        and prefs.email_frequency == EmailFrequency.IMMEDIATE
        and recipient.is_active
    ):
        # Queued only once this transaction commits, so a rolled-back change e-mails nobody and
        # the worker always finds the notification. (django-tasks 0.12 has no ENQUEUE_ON_COMMIT.)
        transaction.on_commit(partial(send_notification_email.enqueue, note.pk))
    return note


@transaction.atomic
def mark_read(user: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of a member's notifications read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    changed = unread.update(read_at=timezone.now())
    if changed:
        remaining = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        NotificationSettings.objects.filter(user=user).update(unread_count=remaining)
        loaded = user._state.fields_cache.get("notification_settings")
        if loaded is not None:  # loaded with the signed-in member: the header shows it
            loaded.unread_count = remaining
    return changed


def set_email_frequency(user: User, frequency: str) -> None:
    prefs = settings_for(user)
    prefs.email_frequency = frequency
    prefs.save(update_fields=["email_frequency"])


DIGEST_PERIODS = {EmailFrequency.DAILY: timedelta(days=1), EmailFrequency.WEEKLY: timedelta(days=7)}


def enqueue_due_digests(now: datetime | None = None) -> int:
    """Queue a digest e-mail for each member whose daily or weekly summary is due and who has
    something unread, and for each whose last digest died mid-send (its notifications' claims
    ran out without being e-mailed). Run by the worker's scheduler; safe to run as often as you
    like, because the digest task claims each period before it sends."""
    from homeward.core.tasks import EMAIL_CLAIM_LEASE, send_digest_email

    now = now or timezone.now()
    cut_off_mid_send = Exists(
        Notification.objects.filter(
            recipient_id=OuterRef("user_id"),
            read_at__isnull=True,
            emailed_at__isnull=True,
            claimed_at__lt=now - EMAIL_CLAIM_LEASE,
        )
    )
    queued = 0
    for frequency, period in DIGEST_PERIODS.items():
        due = (
            NotificationSettings.objects.filter(
                email_frequency=frequency, unread_count__gt=0, user__is_active=True
            )
            .exclude(user__email="")
            .filter(
                Q(last_digest_at__isnull=True)
                | Q(last_digest_at__lte=now - period)
                | cut_off_mid_send
            )
        )
        for user_id in due.values_list("user_id", flat=True).iterator():
            send_digest_email.enqueue(user_id)
            queued += 1
    return queued
