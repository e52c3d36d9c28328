"""Community events (a peer group evening online, a drop-in, a children's activity day) with
RSVPs and a waiting list, and short announcements from staff.

Who may see an event is decided by its audience: everyone signed in, members at a community
trust level or above, or staff only. Places are counted by the service that changes them
(`going_count`, `waiting_count`), inside the transaction that changes the RSVP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User


class EventQuerySet(models.QuerySet["Event"]):
    def visible_at(self, trust_level: Any, *, staff: bool) -> EventQuerySet:
        """Events a person at this community trust level (an int, or an SQL expression that
        reads it) may see; staff see every audience."""
        if staff:
            return self
        return self.filter(
            Q(audience=Event.Audience.EVERYONE)
            | Q(audience=Event.Audience.TRUSTED, min_trust__lte=trust_level)
        )

    def visible_to(self, user: User | AnonymousUser) -> EventQuerySet:
        """Events this person may see: nothing for visitors."""
        from homeward.accounts.policies import is_staff
        from homeward.events.policies import trust_level_for_query

        if not user.is_authenticated:
            return self.none()
        return self.visible_at(trust_level_for_query(user), staff=is_staff(user))

    def managed_by(self, user: User | AnonymousUser) -> EventQuerySet:
        """Events of the organisations this person is staff of (a platform admin has none)."""
        from homeward.accounts.policies import staff_organisation_ids

        return self.filter(organisation_id__in=staff_organisation_ids(user))

    def upcoming(self) -> EventQuerySet:
        """Not over yet (an event that has started still shows until it ends)."""
        return self.filter(ends_at__gt=timezone.now())

    def past(self) -> EventQuerySet:
        return self.filter(ends_at__lte=timezone.now())


class Event(models.Model):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone signed in"
        TRUSTED = "trusted", "Members at a trust level or above"
        STAFF = "staff", "Staff only"

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)  # markdown, as staff wrote it
    description_html = models.TextField(blank=True)  # made by core.markdown at write time
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.IN_PERSON)
    place_name = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # The postcode district's centre (core.geo), for "near you" later; empty when unknown.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    min_trust = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    cancel_reason = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    going_count = models.PositiveIntegerField(default=0)
    waiting_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[EventQuerySet] = EventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["starts_at", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["ends_at", "starts_at"]),
            models.Index(fields=["organisation", "starts_at"]),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(going_count__lte=models.F("capacity")),
                name="event_never_overbooked",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_online(self) -> bool:
        return self.format == self.Format.ONLINE

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_over(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.going_count, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.going_count >= self.capacity

    @property
    def where(self) -> str:
        if self.is_online:
            return "Online"
        return ", ".join(p for p in (self.place_name, self.address, self.postcode) if p)


class RSVP(models.Model):
    """A member's answer to an event. One per member per event; `reminded_at` is claimed before
    the reminder is sent, so it goes once however often the job runs."""

    class Status(models.TextChoices):
        GOING = "going", "Going"
        WAITING = "waiting", "On the waiting list"
        NOT_GOING = "not_going", "Not going"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_rsvps"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    # Place in the waiting list: earliest first.
    waiting_since = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["event", "user"], name="one_rsvp_per_member"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["event", "status", "waiting_since"]),
        ]

    def __str__(self) -> str:
        return f"rsvp {self.pk}"


class AnnouncementQuerySet(models.QuerySet["Announcement"]):
    def current(self) -> AnnouncementQuerySet:
        now = timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now), withdrawn_at__isnull=True)

    def managed_by(self, user: User | AnonymousUser) -> AnnouncementQuerySet:
        from homeward.accounts.policies import staff_organisation_ids

        return self.filter(organisation_id__in=staff_organisation_ids(user))


class Announcement(models.Model):
    """A short note from staff to every signed-in member, e.g. "The helpline is closed on
    Monday". Shown on the landing page and at the top of the events page until it ends."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="announcements"
    )
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=1000, blank=True)
    body_html = models.TextField(blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[AnnouncementQuerySet] = AnnouncementQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None and (self.ends_at is None or self.ends_at > timezone.now())
