"""Background work for events (run by `manage.py worker`): reminders the day before, and
telling members when an event is cancelled."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task

from homeward.events import policies, services


@task()
def send_reminder(rsvp_id: int) -> bool:
    """Remind one member who is going. The RSVP is claimed (reminded_at set with a conditional
    update) before anything is sent, so a second run or a second worker sends nothing. Members
    without an e-mail address get the reminder on the site instead."""
    from homeward.core.notifications import notify

    rsvp = services.claim_reminder(rsvp_id)
    if rsvp is None:
        return False
    event, user = rsvp.event, rsvp.user
    when = services.when_text(event)
    if not user.email:
        notify(
            user,
            kind="events.reminder",
            title=f"Reminder: your event is on {when}",
            url=services.event_url(event),
        )
        return True
    context = {
        "event": event,
        "when": when,
        "user": user,
        "site_name": settings.SITE_NAME,
        "base_url": settings.SITE_URL,
        "url": services.event_url(event),
        "joining_link": event.online_link
        if policies.can_see_joining_link(user, event, rsvp)
        else "",
    }
    # Discreet: the subject may show on a lock screen, so it names no place and no title.
    message = EmailMultiAlternatives(
        subject=f"Reminder: your event on {when} ({settings.SITE_NAME})",
        body=render_to_string("events/email/reminder.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("events/email/reminder.html", context), "text/html")
    try:
        message.send()
    except Exception:
        services.release_reminder(rsvp)  # to be tried again; the worker records the failure
        raise
    return True


@task()
def tell_cancelled(event_id: int) -> int:
    return services.tell_cancelled_now(event_id)


@task()
def tell_changed(event_id: int) -> int:
    return services.tell_changed_now(event_id)
