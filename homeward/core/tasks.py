"""Background work owned by core (run by `manage.py worker`)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
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
log = logging.getLogger("homeward.tasks")


@task()
def send_notification_email(notification_id: int, attempt: int = 0) -> bool:
    """E-mail one notification. Idempotent: a notification is claimed before it is sent and
    e-mailed at most once, so a job that runs again sends nothing twice. If the mail server
    fails, the claim is released and a later attempt is queued (EMAIL_RETRY_DELAYS)."""
    note = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if note is None or note.emailed_at is not None or not note.recipient.email:
        return False
    # Claim it first, so two workers running the same job cannot both send it.
    claimed_at = timezone.now()
    if not Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
        emailed_at=claimed_at
    ):
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
        Notification.objects.filter(pk=note.pk, emailed_at=claimed_at).update(emailed_at=None)
        _retry_later(notification_id, attempt)
        raise
    return True


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
    is claimed with a conditional update first, so a re-run or a second worker sends nothing."""
    from homeward.core.notifications import DIGEST_PERIODS

    prefs = NotificationSettings.objects.select_related("user").filter(user_id=user_id).first()
    if prefs is None or prefs.email_frequency not in DIGEST_PERIODS or not prefs.user.email:
        return False
    now = timezone.now()
    if (
        prefs.last_digest_at
        and now - prefs.last_digest_at < DIGEST_PERIODS[EmailFrequency(prefs.email_frequency)]
    ):
        return False
    claimed = NotificationSettings.objects.filter(
        pk=prefs.pk, last_digest_at=prefs.last_digest_at
    ).update(last_digest_at=now)
    if not claimed:
        return False
    notes = list(
        Notification.objects.filter(
            recipient_id=user_id, read_at__isnull=True, emailed_at__isnull=True
        ).order_by("created_at")[:DIGEST_LIMIT]
    )
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
    message.send()
    Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now)
    return True
