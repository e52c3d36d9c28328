"""Background work owned by core (run by `manage.py worker`)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import default_task_backend, task

from homeward.core.models import EmailFrequency, Notification, NotificationSettings

# At most this many items in one digest; the rest wait on the site.
DIGEST_LIMIT = 50
# When the mail server fails, the e-mail is tried again after each of these waits (about a day
# in all); after the last, the failed job stays in the queue's records for an operator.
EMAIL_RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=16),
)
# How long a worker's claim on an e-mail holds. Far longer than any one SMTP exchange
# (EMAIL_TIMEOUT is 20 s), so only a worker that died mid-send ever loses its claim.
EMAIL_CLAIM_LEASE = timedelta(minutes=10)
log = logging.getLogger("homeward.tasks")


def claimable(now: datetime) -> Q:
    """Notifications a worker may take to e-mail now: not sent, and not claimed, or claimed so
    long ago (EMAIL_CLAIM_LEASE) that the worker holding the claim must have died mid-send."""
    return Q(emailed_at__isnull=True) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - EMAIL_CLAIM_LEASE)
    )


@task()
def send_notification_email(notification_id: int, attempt: int = 0) -> bool:
    """E-mail one notification, once. The notification is claimed (`claimed_at`, a conditional
    update) before the mail server is asked and marked e-mailed (`emailed_at`) only after it
    accepted, so two workers cannot both send it and a worker killed between the two loses
    nothing: the claim runs out after EMAIL_CLAIM_LEASE and a later run takes it again. A run
    that finds the claim held checks again when the lease ends. If the mail server fails, the
    claim is released and a later attempt is queued (EMAIL_RETRY_DELAYS)."""
    note = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if note is None or note.emailed_at is not None or not note.recipient.email:
        return False
    claimed_at = timezone.now()
    if not Notification.objects.filter(claimable(claimed_at), pk=note.pk).update(
        claimed_at=claimed_at
    ):
        _check_again_when_the_lease_ends(notification_id, attempt)
        return False
    context = {
        "note": note,
        "site_name": settings.SITE_NAME,
        "base_url": settings.SITE_URL,
        "user": note.recipient,
    }
    # The subject says nothing about the content: it may show on a shared screen.
    subject = f"You have a new message on {settings.SITE_NAME}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("core/email/notification.txt", context),
        to=[note.recipient.email],
    )
    message.attach_alternative(
        render_to_string("core/email/notification.html", context), "text/html"
    )
    try:
        message.send()
    except Exception:
        # Release the claim so the job can be tried again (the worker records the failure).
        Notification.objects.filter(pk=note.pk, claimed_at=claimed_at).update(claimed_at=None)
        _retry_later(notification_id, attempt)
        raise
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
    return True


def _check_again_when_the_lease_ends(notification_id: int, attempt: int) -> None:
    """Someone else holds the claim and has not sent yet: a live worker mid-send (the check
    will find it sent and stop) or a dead one (the check takes the expired claim and sends)."""
    claim = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
        .values_list("claimed_at", flat=True)
        .first()
    )
    if claim is None:
        return
    if not default_task_backend.supports_defer:
        log.error("notification %s: claimed elsewhere; cannot check again later", notification_id)
        return
    run_after = claim + EMAIL_CLAIM_LEASE + timedelta(seconds=5)
    send_notification_email.using(run_after=run_after).enqueue(notification_id, attempt)
    log.info("notification %s: claimed elsewhere, checking again at %s", notification_id, run_after)


def _retry_later(notification_id: int, attempt: int) -> None:
    if attempt >= len(EMAIL_RETRY_DELAYS):
        log.error("notification %s: e-mail failed %s times, giving up", notification_id, attempt)
        return
    if not default_task_backend.supports_defer:
        log.error(
            "notification %s: e-mail failed; this task backend cannot retry later", notification_id
        )
        return
    run_after = timezone.now() + EMAIL_RETRY_DELAYS[attempt]
    send_notification_email.using(run_after=run_after).enqueue(notification_id, attempt + 1)
    log.warning("notification %s: e-mail failed, trying again at %s", notification_id, run_after)


@task()
def send_digest_email(user_id: int) -> bool:
    """One e-mail listing a member's unread notifications that were not e-mailed yet. The period
    and the notifications are claimed in one transaction before the mail server is asked, so a
    re-run or a second worker sends nothing twice. If the mail server fails, both claims are
    released and the next scheduler run (every 15 minutes) queues the digest again; if the worker
    dies mid-send, the notifications' claims run out (EMAIL_CLAIM_LEASE) and the scheduler queues
    a digest for them then, even inside the period."""
    from homeward.core.notifications import DIGEST_PERIODS

    prefs = NotificationSettings.objects.select_related("user").filter(user_id=user_id).first()
    if prefs is None or prefs.email_frequency not in DIGEST_PERIODS or not prefs.user.email:
        return False
    now = timezone.now()
    unsent = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
    period_due = (
        prefs.last_digest_at is None
        or now - prefs.last_digest_at >= DIGEST_PERIODS[EmailFrequency(prefs.email_frequency)]
    )
    if (
        not period_due
        and not unsent.filter(
            emailed_at__isnull=True, claimed_at__lt=now - EMAIL_CLAIM_LEASE
        ).exists()
    ):
        return False
    with transaction.atomic():
        if not NotificationSettings.objects.filter(
            pk=prefs.pk, last_digest_at=prefs.last_digest_at
        ).update(last_digest_at=now):
            return False
        ids = list(
            unsent.filter(claimable(now))
            .order_by("created_at")
            .values_list("pk", flat=True)[:DIGEST_LIMIT]
        )
        # Conditional again: an immediate e-mail may have claimed one since (a member who has
        # just changed frequency); the digest lists only what it really holds.
        Notification.objects.filter(claimable(now), pk__in=ids).update(claimed_at=now)
        notes = list(Notification.objects.filter(pk__in=ids, claimed_at=now).order_by("created_at"))
    if not notes:
        return False
    period = "daily" if prefs.email_frequency == EmailFrequency.DAILY else "weekly"
    context = {
        "notes": notes,
        "period": period,
        "site_name": settings.SITE_NAME,
        "base_url": settings.SITE_URL,
        "user": prefs.user,
    }
    message = EmailMultiAlternatives(
        subject=f"Your {period} summary from {settings.SITE_NAME}",
        body=render_to_string("core/email/digest.txt", context),
        to=[prefs.user.email],
    )
    message.attach_alternative(render_to_string("core/email/digest.html", context), "text/html")
    try:
        message.send()
    except Exception:
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in notes], claimed_at=now).update(
                claimed_at=None
            )
            NotificationSettings.objects.filter(pk=prefs.pk, last_digest_at=now).update(
                last_digest_at=prefs.last_digest_at
            )
        raise
    Notification.objects.filter(pk__in=[n.pk for n in notes], claimed_at=now).update(
        emailed_at=timezone.now()
    )
    return True
