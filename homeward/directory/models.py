"""The directory of support services, in the shape of Open Referral UK (HSDS 3.0 UK profile).

Every table is one ORUK entity with a UUID primary key. A few columns are Homeward's own and
never leave through the API unchanged: `is_national` (the national/remote lane), the delivery
modes, `is_free`, `is_demo`, and the link from an ORUK organisation to the Homeward organisation
whose staff keep it up to date."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, time, timedelta
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from homeward.accounts.models import Organisation

STALE_AFTER = timedelta(days=92)  # "assured on" older than about three months is stale

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = dict(
    zip(
        DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=False,
    )
)


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "A place people visit"
    POSTAL = "postal", "Postal address"
    VIRTUAL = "virtual", "Online or by phone"


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    code = models.SlugField(max_length=100, help_text="Short code within its taxonomy.")
    name = models.CharField(max_length=200)
    description = models.TextField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    term_uri = models.URLField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="directory_term_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    """An ORUK organisation: whoever runs services (not necessarily a Homeward organisation)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    logo = models.URLField(blank=True)
    uri = models.URLField(blank=True)
    homeward_organisation = models.OneToOneField(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_organization",
        help_text="Set when this organisation runs Homeward: its staff keep these services.",
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceQuerySet(models.QuerySet["Service"]):
    def listed(self) -> ServiceQuerySet:
        """Services people can find: not closed for good."""
        return self.exclude(status=Service.Status.DEFUNCT)

    def stale(self, today: date | None = None) -> ServiceQuerySet:
        cutoff = (today or timezone.localdate()) - STALE_AFTER
        return self.filter(Q(assured_date__isnull=True) | Q(assured_date__lt=cutoff))

    def editable_by(self, organisation: Organisation | None, *, national: bool) -> ServiceQuerySet:
        """Services a member of staff may edit: their own organisation's, and (platform admins)
        the national services."""
        rule = Q(pk__in=[])
        if organisation is not None:
            rule |= Q(organization__homeward_organisation=organisation)
        if national:
            rule |= Q(is_national=True)
        return self.filter(rule)


class Service(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Running"
        TEMPORARILY_CLOSED = "temporarily closed", "Paused for now"
        INACTIVE = "inactive", "Not running"
        DEFUNCT = "defunct", "Closed for good"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility_description = models.TextField(blank=True)
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True)
    alert = models.CharField(max_length=300, blank=True)
    last_modified = models.DateTimeField(default=timezone.now, db_index=True)
    # A digest of the record this service was last imported from: re-importing the same record
    # writes nothing and is reported as unchanged.
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Homeward's own.
    is_national = models.BooleanField(
        default=False, help_text="Serves the whole country (a helpline, an online service)."
    )
    in_person = models.BooleanField(default=False)
    by_phone = models.BooleanField(default=False)
    online = models.BooleanField(default=False)
    is_free = models.BooleanField(default=True)
    is_demo = models.BooleanField(default=False)
    stale_reminded_on = models.DateField(null=True, blank=True)

    objects: ClassVar[ServiceQuerySet] = ServiceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["is_national", "status"], name="directory_service_lane"),
            models.Index(fields=["name", "id"], name="directory_service_order"),
            # The national lane is a few dozen rows among many thousands: a partial index lets
            # every database find them without walking the rest.
            models.Index(
                fields=["name"], condition=Q(is_national=True), name="directory_service_national"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_stale(self, today: date | None = None) -> bool:
        if self.assured_date is None:
            return True
        return self.assured_date < (today or timezone.localdate()) - STALE_AFTER

    @property
    def delivery_modes(self) -> list[str]:
        modes = [("in_person", "In person"), ("by_phone", "By phone"), ("online", "Online")]
        return [label for field, label in modes if getattr(self, field)]


class Location(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    outcode = models.CharField(max_length=4, blank=True, db_index=True)
    external_identifier = models.CharField(max_length=100, blank=True)
    external_identifier_type = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["latitude", "longitude"], name="directory_location_position"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]
        verbose_name = "service at a location"

    def __str__(self) -> str:
        return f"{self.service_id} at {self.location_id}"


class Address(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100, help_text="County.")
    postal_code = models.CharField(max_length=10)
    country = models.CharField(max_length=2, default="GB")
    address_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city} {self.postal_code}"


class Accessibility(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return self.description[:60]


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.name or self.title or str(self.id)


class Phone(models.Model):
    """A phone number for a service (HSDS keeps these; the UK profile dropped them, we still
    send them)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="phones"
    )
    number = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.number


class Schedule(models.Model):
    """Weekly opening: `byday` holds iCal day codes ("MO,TU"), times are local (Europe/London)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    freq = models.CharField(max_length=10, default="WEEKLY")
    byday = models.CharField(max_length=30, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    attending_type = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"

    @property
    def days(self) -> list[str]:
        return [d for d in self.byday.split(",") if d in DAYS]


SHORT_DAYS = dict(zip(DAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True))


def describe_times(byday: str, opens: time | None, closes: time | None, note: str = "") -> str:
    """One line for a result card: "Mon to Fri 09:30-16:30", "Tue, Thu 18:00-20:00 (term
    time)", "Any time", or just the note ("By appointment")."""
    days = [d for d in DAYS if d in byday.split(",")]
    if opens is None or closes is None or not days:
        return note
    if len(days) == 7 and opens == time(0) and closes >= time(23, 59):
        when = "Any time"
    else:
        run = DAYS.index(days[-1]) - DAYS.index(days[0]) + 1 == len(days) >= 3
        named = (
            f"{SHORT_DAYS[days[0]]} to {SHORT_DAYS[days[-1]]}"
            if run
            else ", ".join(SHORT_DAYS[d] for d in days)
        )
        when = f"{named} {opens:%H:%M}\u2013{closes:%H:%M}"
    return f"{when} ({note})" if note else when


def in_week_order(schedules: Iterable[Schedule]) -> list[Schedule]:
    """Monday's times first, then by opening time; notes with no day ("by appointment") last."""

    def key(s: Schedule) -> tuple[int, time, str]:
        days = s.days
        return (DAYS.index(days[0]) if days else len(DAYS), s.opens_at or time.max, str(s.id))

    return sorted(schedules, key=key)


class ServiceArea(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", "England and Wales"
        REGION = "region", "Region"
        LOCAL_AUTHORITY = "local_authority", "Local authority"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LOCAL_AUTHORITY)
    # The ONS code of a local authority (E07000063 Lewes, E10000011 East Sussex): what a
    # searcher's postcode is matched against (directory/areas.py). Empty: a name only.
    code = models.CharField(max_length=9, blank=True, db_index=True)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.name


class CostOption(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=200, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.option or str(self.amount)


class Language(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=10, blank=True, db_index=True, help_text="ISO 639-1.")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Funding(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(max_length=300)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]
        verbose_name_plural = "funding"

    def __str__(self) -> str:
        return self.source


class Attribute(models.Model):
    """A taxonomy term attached to a service (ORUK's link_type "service")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["service", "taxonomy_term"], name="directory_attribute_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.taxonomy_term_id}"
