"""Background work owned by core (run by `manage.py worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from homeward.core.models import Notification


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification. Idempotent: a notification is e-mailed at most once, so a job
    that runs again after a crash sends nothing twice."""
    note = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if note is None or note.emailed_at is not None or not note.recipient.email:
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
    message.send()
    Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    return True
