"""Prisons and their visiting information (imported from the Ministry of Justice data), the
sections staff write, alerts, members' follows and families' tips."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Region(models.TextChoices):
    NORTH_EAST = "north-east", "North East"
    NORTH_WEST = "north-west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east-midlands", "East Midlands"
    WEST_MIDLANDS = "west-midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south-east", "South East"
    SOUTH_WEST = "south-west", "South West"
    WALES = "wales", "Wales"


class Kind(models.TextChoices):
    """How families would group establishments when browsing."""

    MEN = "men", "Men's prisons"
    WOMEN = "women", "Women's prisons"
    YOUNG = "young", "Young people (under 18)"
    IMMIGRATION = "immigration", "Immigration removal centres"
    OTHER = "other", "Other establishments"


TYPE_ORDER = ("HMP", "YOI", "STC", "YCS", "IRC")
TYPE_NOUNS = {
    "HMP": "prison",
    "YOI": "young offender institution",
    "STC": "secure training centre",
    "YCS": "secure centre for young people",
    "IRC": "immigration removal centre",
}
OPERATOR_NAMES = {
    "PSP": "the Prison Service",
    "G4S": "G4S",
    "Serco": "Serco",
    "Sodexo": "Sodexo",
    "MTCNovo": "MTCnovo",
}


_SLOT = "00000000"


@cache
def _url_pattern(name: str) -> str:
    """A URL with one argument as a format string, reversed once per process: lists link every
    row, and one reverse() per row costs more than the rest of the row."""
    return reverse(name, args=[_SLOT]).replace(_SLOT, "{}")


def _and(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


class PrisonQuerySet(models.QuerySet["Prison"]):
    def open(self) -> PrisonQuerySet:
        """Establishments families can visit: active in the register, or (like Millsike) not
        in it yet."""
        return self.exclude(active=False)

    def closed(self) -> PrisonQuerySet:
        return self.filter(active=False)

    def located(self) -> PrisonQuerySet:
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def matching(self, text: str) -> PrisonQuerySet:
        """By name (English, Welsh or official), town or county, case-insensitively."""
        text = text.strip()
        return self.filter(
            Q(name__icontains=text)
            | Q(official_name__icontains=text)
            | Q(name_cy__icontains=text)
            | Q(town__icontains=text)
            | Q(county__icontains=text)
            | Q(code__iexact=text)
        )


class Prison(models.Model):
    """One establishment, keyed by its NOMIS agency code (e.g. LWI for Lewes)."""

    code = models.CharField("NOMIS code", max_length=8, primary_key=True)
    name = models.CharField(max_length=120)
    official_name = models.CharField(max_length=160, blank=True)
    name_cy = models.CharField("Welsh name", max_length=160, blank=True)
    # None: not in the register (Millsike); shown as open.
    active = models.BooleanField(null=True)
    # The record as imported, to tell what changed when the data is imported again.
    record = models.JSONField(default=dict, blank=True)
    types = models.JSONField(default=list, blank=True)  # HMP, YOI, STC, YCS, IRC
    categories = models.JSONField(default=list, blank=True)  # A, B, C
    operators = models.JSONField(default=list, blank=True)  # PSP, G4S, Serco, Sodexo, MTCNovo
    male = models.BooleanField(default=False)
    female = models.BooleanField(default=False)
    contracted = models.BooleanField(default=False)
    long_term_high_security = models.BooleanField(default=False)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address_cy = models.JSONField(default=dict, blank=True)
    other_addresses = models.JSONField(default=list, blank=True)
    phone = models.CharField("visits booking phone", max_length=40, blank=True)
    email = models.EmailField("visits booking e-mail", blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    region = models.CharField(max_length=20, choices=Region.choices, blank=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True, db_index=True)
    source = models.JSONField(default=list, blank=True)
    # The date of the data the visiting times came from (the source repository's commit).
    source_date = models.DateField(null=True, blank=True)
    # A fingerprint of the imported record: the importer compares it to spot changes.
    data_hash = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)
    # Kept by the follow service, so lists never count rows.
    follower_count = models.PositiveIntegerField(default=0)
    tip_count = models.PositiveIntegerField(default=0)

    objects: ClassVar[PrisonQuerySet] = PrisonQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url_pattern("prisons:detail").format(self.code)

    @property
    def is_closed(self) -> bool:
        return self.active is False

    @property
    def address_lines(self) -> list[str]:
        return [
            part
            for part in (self.address_line1, self.address_line2, self.town, self.county)
            if part
        ] + ([self.postcode] if self.postcode else [])

    @property
    def address_lines_cy(self) -> list[str]:
        """The Welsh address, where the register gives one (Welsh prisons)."""
        welsh = self.address_cy if isinstance(self.address_cy, dict) else {}
        keys = ("address_line1", "address_line2", "town", "county")
        lines = [str(welsh[k]) for k in keys if welsh.get(k)]
        return [*lines, self.postcode] if lines and self.postcode else lines

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def description(self) -> str:
        """What it is, as a person would say it: "a men's category B prison and young offender
        institution run by G4S". Only what the data says; empty if it says nothing."""
        nouns = [TYPE_NOUNS[t] for t in TYPE_ORDER if t in self.types]
        if not nouns:
            return ""
        who = ""
        if self.male and not self.female:
            who = "men's "
        elif self.female and not self.male:
            who = "women's "
        categories = sorted(c for c in self.categories if c in {"A", "B", "C"})
        category = ""
        if categories:
            category = f"category {_and(categories)} "
        text = f"{who}{category}{_and(nouns)}"
        if self.male and self.female:
            text += " for men and women"
        operators = [OPERATOR_NAMES.get(o, o) for o in self.operators]
        if operators:
            text += f" run by {_and(operators)}"
        if self.long_term_high_security:
            text += ", part of the high-security estate"
        article = "an" if text[0] in "aeiou" else "a"
        return f"{article} {text}"


class BookingUnit(models.Model):
    """One place visits are booked for (most prisons have one; some have several, e.g.
    convicted and remand), with its weekly visiting times as last published."""

    prison = models.ForeignKey(Prison, on_delete=models.CASCADE, related_name="booking_units")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120)
    name_cy = models.CharField(max_length=160, blank=True)
    online_booking = models.BooleanField(default=False)
    closed = models.BooleanField(default=False)
    # The prison runs its own booking, not the public online service.
    private = models.BooleanField(default=False)
    address_lines = models.JSONField(default=list, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    adult_age = models.PositiveSmallIntegerField(null=True, blank=True)
    lead_days = models.PositiveSmallIntegerField(null=True, blank=True)
    booking_window_days = models.PositiveSmallIntegerField(null=True, blank=True)
    weekly_slots = models.JSONField(default=dict, blank=True)  # {"mon": ["14:00-15:30"], …}

    class Meta:
        ordering: ClassVar[list[str]] = ["prison", "position"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_booking_details(self) -> bool:
        return bool(self.online_booking or self.phone or self.email or self.closed)


class Topic(models.TextChoices):
    """The sections of a prison's guide that staff can rewrite for their prison."""

    BRING = "bring", "What to bring, and what not to"
    ID = "id", "ID you need"
    DRESS = "dress", "What to wear"
    VISITORS_CENTRE = "visitors-centre", "The visitors' centre"
    TRAVEL = "travel", "Getting there"
    MONEY = "money", "Money and property"
    CALLS = "calls", "Phone calls and letters"
    VIDEO = "video", "Video calls"


class PrisonGuideSection(models.Model):
    """A prison's own text for one topic, replacing the national default."""

    prison = models.ForeignKey(Prison, on_delete=models.CASCADE, related_name="sections")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    body = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["prison", "topic"], name="one_section_per_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.prison_id}: {self.get_topic_display()}"


class AlertQuerySet(models.QuerySet["Alert"]):
    def current(self) -> AlertQuerySet:
        return self.filter(expires_at__gt=timezone.now())


class Alert(models.Model):
    """Short-lived news from staff, e.g. "Visits are cancelled today"."""

    prison = models.ForeignKey(Prison, on_delete=models.CASCADE, related_name="alerts")
    message = models.CharField(max_length=300)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[AlertQuerySet] = AlertQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["prison", "expires_at"])]

    def __str__(self) -> str:
        return self.message


class PrisonPartner(models.Model):
    """An organisation that works in a prison (a visitors' centre, family support workers). Its
    staff keep that prison's guide and post its alerts; other organisations' staff can't."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="prison_partnerships"
    )
    prison = models.ForeignKey(Prison, on_delete=models.CASCADE, related_name="partners")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["prison__name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["organisation", "prison"], name="one_partnership_per_prison"
            ),
        ]

    def __str__(self) -> str:
        return f"partnership {self.pk}"


class Follow(models.Model):
    """A member keeps up with a prison. Private: shown to nobody but the member."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prison_follows"
    )
    prison = models.ForeignKey(Prison, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "prison"], name="one_follow_per_prison"),
        ]

    def __str__(self) -> str:
        return f"follow {self.pk}"


TIP_STALE_AFTER = timedelta(days=365)


class TipQuerySet(models.QuerySet["Tip"]):
    def published(self) -> TipQuerySet:
        return self.filter(status=Tip.Status.PUBLISHED)

    def pending(self) -> TipQuerySet:
        return self.filter(status=Tip.Status.PENDING)


class Tip(models.Model):
    """A family's practical tip about visiting one prison."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Not published"
        HIDDEN = "hidden", "Hidden after flags"

    prison = models.ForeignKey(Prison, on_delete=models.CASCADE, related_name="tips")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prison_tips"
    )
    body = models.TextField(max_length=1000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept by the services, in the same transaction as the mark or flag.
    helpful_count = models.PositiveIntegerField(default=0)
    flag_count = models.PositiveIntegerField(default=0)

    objects: ClassVar[TipQuerySet] = TipQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["-helpful_count", "-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["prison", "status"])]

    def __str__(self) -> str:
        return f"tip {self.pk}"

    @property
    def helpful_url(self) -> str:
        return _url_pattern("prisons:tip_helpful").format(self.pk)

    @property
    def flag_url(self) -> str:
        return _url_pattern("prisons:tip_flag").format(self.pk)

    @property
    def check_url(self) -> str:
        return _url_pattern("prisons:tip_check").format(self.pk)

    @property
    def may_be_out_of_date(self) -> bool:
        return self.created_at < timezone.now() - TIP_STALE_AFTER


class TipMark(models.Model):
    """A member found a tip helpful, or flagged it: one of each per member and tip."""

    class Kind(models.TextChoices):
        HELPFUL = "helpful", "Helpful"
        FLAG = "flag", "Flagged"

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="marks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prison_tip_marks"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["tip", "user", "kind"], name="one_mark_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on tip {self.tip_id}"
