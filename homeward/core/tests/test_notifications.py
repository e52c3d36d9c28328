"""Notifications: the stored unread count behind the header badge, marking read, the list page,
and discreet e-mail sent once, after the change that caused it has been saved."""

from __future__ import annotations

import re
from datetime import timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import sign_in
from homeward.accounts import factories
from homeward.accounts.models import Role
from homeward.core.models import EmailFrequency, Notification, NotificationSettings
from homeward.core.notifications import mark_read, notify, set_email_frequency, settings_for
from homeward.core.tasks import EMAIL_CLAIM_LEASE, send_digest_email, send_notification_email

pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# A caller's title may name prison; the e-mail subject must not, whatever the title says.
TELLING_TITLE = "News about your visit to HMP Lewes prison on Saturday"


@pytest.fixture
def immediate_tasks():
    """Run tasks in-process as soon as they are enqueued (django-tasks resets its backends
    when TASKS changes, so this takes effect at once and is undone after the test)."""
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


@pytest.fixture
def database_tasks():
    with override_settings(TASKS=DATABASE_TASKS):
        yield


@pytest.fixture
def member_with_email(org_a):
    return factories.make_member("Poppy Nan 4", org_a, Role.FAMILY, email="poppy@example.org")


def notify_then_fail(recipient) -> None:
    """A service that notifies, then fails before its transaction commits."""
    with transaction.atomic():
        notify(recipient, kind="reply", title="Someone replied to you")
        raise RuntimeError("the reply could not be saved")


def unread_count(user) -> int:
    return NotificationSettings.objects.get(user=user).unread_count


# --- notify and the unread count --------------------------------------------------------------


def test_notify_stores_the_notification_and_counts_it_unread(family):
    note = notify(family, kind="reply", title="Someone replied to you", url="/forum/t/1/")

    stored = Notification.objects.get(pk=note.pk)
    assert stored.recipient == family
    assert stored.kind == "reply"
    assert stored.title == "Someone replied to you"
    assert stored.url == "/forum/t/1/"
    assert stored.is_unread
    assert stored.emailed_at is None
    assert unread_count(family) == 1

    notify(family, kind="reply", title="Another reply")
    assert unread_count(family) == 2


def test_notify_cuts_long_titles_to_fit(family):
    note = notify(family, kind="news", title="x" * 250)
    assert len(Notification.objects.get(pk=note.pk).title) == 200


def test_notify_is_all_or_nothing(family):
    """If the counter cannot be updated, the notification is not left behind uncounted."""
    with (
        mock.patch("homeward.core.notifications.settings_for", side_effect=DatabaseError("locked")),
        pytest.raises(DatabaseError),
    ):
        notify(family, kind="reply", title="Someone replied to you")
    assert not Notification.objects.filter(recipient=family).exists()


def test_notify_rolls_back_with_the_change_that_caused_it(family):
    settings_for(family)
    with pytest.raises(RuntimeError):
        notify_then_fail(family)
    assert not Notification.objects.filter(recipient=family).exists()
    assert unread_count(family) == 0


def test_header_badge_shows_the_unread_count(family):
    client = sign_in(Client(), family)
    page = client.get("/").content.decode()
    assert 'class="badge"' not in page

    for n in range(3):
        notify(family, kind="reply", title=f"Reply {n}")
    page = client.get("/").content.decode()
    assert '<span class="badge" aria-label="3 unread">3</span>' in page


def test_badge_counts_only_your_own_notifications(family, trusted_family):
    notify(trusted_family, kind="reply", title="For Willow")
    page = sign_in(Client(), family).get("/").content.decode()
    assert 'class="badge"' not in page


# --- marking read -----------------------------------------------------------------------------


def test_mark_all_read_zeroes_the_count(family):
    for n in range(3):
        notify(family, kind="reply", title=f"Reply {n}")
    client = sign_in(Client(), family)

    response = client.post("/notifications/read/")

    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert unread_count(family) == 0
    assert not Notification.objects.filter(recipient=family, read_at__isnull=True).exists()
    assert 'class="badge"' not in client.get("/").content.decode()


def test_mark_specific_notifications_read(family):
    first, second, third = (notify(family, kind="reply", title=f"Reply {n}") for n in range(3))
    client = sign_in(Client(), family)

    client.post("/notifications/read/", {"id": [first.pk, third.pk]})

    assert unread_count(family) == 1
    unread = Notification.objects.filter(recipient=family, read_at__isnull=True)
    assert list(unread) == [second]
    assert '<span class="badge" aria-label="1 unread">1</span>' in client.get("/").content.decode()


def test_ids_that_are_not_numbers_mark_nothing_read(family):
    notify(family, kind="reply", title="Reply")
    client = sign_in(Client(), family)

    client.post("/notifications/read/", {"id": ["abc", ""]})

    assert unread_count(family) == 1


def test_cannot_mark_someone_elses_notifications_read(family, trusted_family):
    mine = notify(family, kind="reply", title="For Robin")
    theirs = notify(trusted_family, kind="reply", title="For Willow")
    client = sign_in(Client(), family)

    client.post("/notifications/read/", {"id": [theirs.pk]})

    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.is_unread
    assert unread_count(trusted_family) == 1
    # Naming only someone else's notification does not mark your own read either.
    assert mine.is_unread
    assert unread_count(family) == 1


def test_mark_read_service_returns_how_many_changed(family):
    notify(family, kind="reply", title="One")
    notify(family, kind="reply", title="Two")
    assert mark_read(family) == 2
    assert mark_read(family) == 0
    assert unread_count(family) == 0


def test_mark_read_needs_sign_in_and_post(family):
    note = notify(family, kind="reply", title="For Robin")

    anonymous = Client().post("/notifications/read/", {"id": [note.pk]})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")

    wrong_method = sign_in(Client(), family).get("/notifications/read/")
    assert wrong_method.status_code == 405

    note.refresh_from_db()
    assert note.is_unread


# --- the list page ----------------------------------------------------------------------------


def test_list_shows_only_your_own_notifications(family, trusted_family):
    notify(family, kind="reply", title="Robin has a reply", url="/forum/t/1/")
    notify(trusted_family, kind="reply", title="Willow has a reply")

    response = sign_in(Client(), family).get("/notifications/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="/forum/t/1/">Robin has a reply</a>' in page
    assert "Willow has a reply" not in page
    assert "New</span>" in page


def test_list_marks_only_unread_as_new(family):
    notify(family, kind="reply", title="Old news")
    mark_read(family)
    page = sign_in(Client(), family).get("/notifications/").content.decode()
    assert "Old news" in page
    assert "New</span>" not in page


def test_empty_list_says_what_will_appear(family):
    page = sign_in(Client(), family).get("/notifications/").content.decode()
    assert "Nothing yet" in page


def test_list_needs_sign_in():
    response = Client().get("/notifications/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/notifications/"


def test_list_query_count_does_not_grow_with_notifications(family, django_assert_num_queries):
    client = sign_in(Client(), family)
    notify(family, kind="reply", title="Only one")
    with CaptureQueriesContext(connection) as one:
        client.get("/notifications/")

    for n in range(12):
        notify(family, kind="reply", title=f"Reply {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/notifications/")


# --- e-mail -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("immediate_tasks")
def test_immediate_member_gets_one_discreet_email(
    member_with_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(member_with_email, kind="visit", title=TELLING_TITLE, url="/visits/7/")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["poppy@example.org"]
    assert message.subject == f"You have a new message on {settings.SITE_NAME}"
    assert "prison" not in message.subject.lower()
    assert "hmp" not in message.subject.lower()

    link = f"{settings.SITE_URL}/visits/7/"
    assert TELLING_TITLE in message.body
    assert link in message.body
    assert "Poppy Nan 4" in message.body
    assert isinstance(message, EmailMultiAlternatives)
    assert len(message.alternatives) == 1
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert isinstance(html, str)
    assert f'<a href="{link}">' in html
    assert TELLING_TITLE in html

    note.refresh_from_db()
    assert note.emailed_at is not None


@pytest.mark.usefixtures("immediate_tasks")
def test_email_goes_only_after_the_change_is_saved(
    member_with_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(member_with_email, kind="reply", title="Someone replied to you")
        assert mail.outbox == [], "e-mail sent before the transaction committed"
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1


@pytest.mark.usefixtures("immediate_tasks")
def test_no_email_when_the_change_is_rolled_back(
    member_with_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        notify_then_fail(member_with_email)
    assert mail.outbox == []
    assert not Notification.objects.exists()


@pytest.mark.usefixtures("immediate_tasks")
def test_plain_text_email_is_not_html_escaped(
    member_with_email, django_capture_on_commit_callbacks
):
    title = 'Sam\'s reply to "Visits & money" <3'
    with django_capture_on_commit_callbacks(execute=True):
        notify(member_with_email, kind="reply", title=title)

    message = mail.outbox[0]
    assert title in message.body
    assert "&amp;" not in message.body
    assert "&#x27;" not in message.body
    assert isinstance(message, EmailMultiAlternatives)
    html = message.alternatives[0][0]
    assert isinstance(html, str)
    assert "Sam&#x27;s reply to &quot;Visits &amp; money&quot; &lt;3" in html
    assert "<3" not in html


def test_plain_text_digest_is_not_html_escaped(member_with_email):
    set_email_frequency(member_with_email, EmailFrequency.DAILY)
    Notification.objects.create(
        recipient=member_with_email, kind="reply", title="Sam's reply & more", url="/n/1?a=1&b=2"
    )
    assert send_digest_email.call(member_with_email.pk) is True
    body = mail.outbox[0].body
    assert "- Sam's reply & more" in body
    assert f"{settings.SITE_URL}/n/1?a=1&b=2" in body
    assert "&amp;" not in body


@pytest.mark.usefixtures("immediate_tasks")
@pytest.mark.parametrize(
    "frequency", [EmailFrequency.NEVER, EmailFrequency.DAILY, EmailFrequency.WEEKLY]
)
def test_no_immediate_email_unless_chosen(
    member_with_email, frequency, django_capture_on_commit_callbacks
):
    set_email_frequency(member_with_email, frequency)
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(member_with_email, kind="reply", title="Someone replied to you")
    assert mail.outbox == []
    note.refresh_from_db()
    assert note.emailed_at is None
    assert unread_count(member_with_email) == 1


@pytest.mark.usefixtures("immediate_tasks")
def test_no_email_without_an_address(family, django_capture_on_commit_callbacks):
    assert family.email == ""
    with django_capture_on_commit_callbacks(execute=True):
        notify(family, kind="reply", title="Someone replied to you")
    assert mail.outbox == []
    assert unread_count(family) == 1


@pytest.mark.usefixtures("immediate_tasks")
def test_no_email_to_a_deactivated_member(member_with_email, django_capture_on_commit_callbacks):
    member_with_email.is_active = False
    member_with_email.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(member_with_email, kind="reply", title="Someone replied to you")
    assert mail.outbox == []


@pytest.mark.usefixtures("database_tasks")
def test_email_is_queued_for_the_worker_once(
    member_with_email, family, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(member_with_email, kind="reply", title="Someone replied to you")
        notify(family, kind="reply", title="No address, so nothing to queue")

    job = DBTaskResult.objects.get()
    assert job.task_path == "homeward.core.tasks.send_notification_email"
    assert job.args_kwargs == {"args": [note.pk], "kwargs": {}}
    assert job.status == "READY"
    assert mail.outbox == []  # the worker sends it


@pytest.mark.usefixtures("database_tasks")
def test_nothing_is_queued_when_the_change_is_rolled_back(
    member_with_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        notify_then_fail(member_with_email)
    assert not DBTaskResult.objects.exists()


# --- the task itself --------------------------------------------------------------------------


def _unsent(recipient, title="Someone replied to you"):
    return Notification.objects.create(recipient=recipient, kind="reply", title=title)


def test_send_notification_email_is_idempotent(member_with_email):
    note = _unsent(member_with_email)

    assert send_notification_email.call(note.pk) is True
    first_sent = Notification.objects.get(pk=note.pk).emailed_at
    assert send_notification_email.call(note.pk) is False

    assert len(mail.outbox) == 1
    assert first_sent is not None
    assert Notification.objects.get(pk=note.pk).emailed_at == first_sent


def test_send_notification_email_skips_missing_notes_and_missing_addresses(family):
    assert send_notification_email.call(987654) is False
    assert send_notification_email.call(_unsent(family).pk) is False
    assert mail.outbox == []


def test_a_failed_send_can_be_retried(member_with_email):
    note = _unsent(member_with_email)
    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=SMTPException("down")
        ),
        pytest.raises(SMTPException),
    ):
        send_notification_email.call(note.pk)
    note.refresh_from_db()
    assert note.emailed_at is None
    assert note.claimed_at is None  # released, so the retry can take it at once

    assert send_notification_email.call(note.pk) is True
    assert len(mail.outbox) == 1


def test_email_is_claimed_before_the_mail_server_is_asked_and_marked_sent_after(
    member_with_email,
):
    note = _unsent(member_with_email)
    seen_during_send: list[tuple[object, object]] = []

    def record_state(self: EmailMultiAlternatives) -> int:
        seen_during_send.append(
            Notification.objects.filter(pk=note.pk).values_list("claimed_at", "emailed_at").get()
        )
        return 1

    with mock.patch("django.core.mail.EmailMultiAlternatives.send", record_state):
        assert send_notification_email.call(note.pk) is True
    [(claimed_at, emailed_at)] = seen_during_send
    assert claimed_at is not None
    assert emailed_at is None
    note.refresh_from_db()
    assert note.emailed_at is not None
    assert note.emailed_at >= note.claimed_at == claimed_at


def test_a_fresh_claim_held_elsewhere_sends_nothing_and_checks_again_when_it_runs_out(
    member_with_email, database_tasks
):
    claimed_at = timezone.now() - timedelta(minutes=2)
    note = Notification.objects.create(
        recipient=member_with_email, kind="reply", title="Someone replied", claimed_at=claimed_at
    )

    assert send_notification_email.call(note.pk, 3) is False

    assert mail.outbox == []
    check = DBTaskResult.objects.get()
    assert check.args_kwargs["args"] == [note.pk, 3]
    assert claimed_at + EMAIL_CLAIM_LEASE <= check.run_after
    assert check.run_after <= claimed_at + EMAIL_CLAIM_LEASE + timedelta(minutes=1)
    assert Notification.objects.get(pk=note.pk).claimed_at == claimed_at


def test_a_claim_older_than_the_lease_is_taken_and_sent_once(member_with_email):
    note = Notification.objects.create(
        recipient=member_with_email,
        kind="reply",
        title="Someone replied",
        claimed_at=timezone.now() - EMAIL_CLAIM_LEASE - timedelta(seconds=1),
    )

    assert send_notification_email.call(note.pk) is True
    assert send_notification_email.call(note.pk) is False

    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=note.pk).emailed_at is not None


def test_a_second_job_for_a_sent_email_queues_no_check(member_with_email, database_tasks):
    note = _unsent(member_with_email)
    assert send_notification_email.call(note.pk) is True
    assert send_notification_email.call(note.pk) is False
    assert DBTaskResult.objects.count() == 0
    assert len(mail.outbox) == 1


def test_older_notifications_are_one_link_away(family):
    from homeward.core.views.notifications import PAGE_SIZE

    for n in range(PAGE_SIZE + 5):
        notify(family, kind="reply", title=f"Reply number {n}")
    client = sign_in(Client(), family)

    def shown(html: str, n: int) -> bool:
        return re.search(rf"Reply number {n}\b", html) is not None

    first = client.get("/notifications/").content.decode()
    assert shown(first, PAGE_SIZE + 4)  # newest first
    assert shown(first, 5)
    assert not shown(first, 4)
    assert 'href="?page=2">Older messages' in first
    assert "Newer messages" not in first

    second = client.get("/notifications/?page=2").content.decode()
    assert shown(second, 4)
    assert shown(second, 0)
    assert not shown(second, 5)
    assert 'href="?page=1">Newer messages' in second
    assert "Older messages" not in second


@pytest.mark.parametrize("page", ["0", "-1", "abc", "9999"])
def test_odd_page_numbers_never_fail(family, page):
    notify(family, kind="reply", title="A reply")
    response = sign_in(Client(), family).get(f"/notifications/?page={page}")
    assert response.status_code == 200
