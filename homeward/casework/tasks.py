"""Casework e-mail to people without an account (a referrer, a family's address), in the
background. Subjects are discreet: they name the organisation, never prison."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_casework_email(to: str, subject: str, template: str, context: dict[str, Any]) -> bool:
    context = {**context, "site_name": settings.SITE_NAME, "base_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"casework/email/{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"casework/email/{template}.html", context), "text/html"
    )
    message.send()
    return True
