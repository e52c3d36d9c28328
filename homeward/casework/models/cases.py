"""A case: one family's work with one organisation, from referral to closing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone

from homeward.accounts.models import MANAGER_ROLES

if TYPE_CHECKING:
    from homeward.accounts.models import User


class Stage(models.TextChoices):
    NEW = "new", "New"
    ASSESSMENT = "assessment", "Assessment"
    PLAN = "plan", "Plan"
    SUPPORT = "support", "Support"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"


OPEN_STAGES = (Stage.NEW, Stage.ASSESSMENT, Stage.PLAN, Stage.SUPPORT, Stage.CLOSING)
# Where a case may move next from each stage (closed cases reopen into support).
NEXT_STAGES: dict[str, tuple[str, ...]] = {
    Stage.NEW: (Stage.ASSESSMENT, Stage.CLOSING),
    Stage.ASSESSMENT: (Stage.PLAN, Stage.CLOSING),
    Stage.PLAN: (Stage.SUPPORT, Stage.CLOSING),
    Stage.SUPPORT: (Stage.CLOSING,),
    Stage.CLOSING: (Stage.SUPPORT,),
    Stage.CLOSED: (),
}


class DaysAgo(Func):
    """The time now, minus a number of days read from a column (so one query can compare
    dates with an organisation's setting). Written per database with their own date
    functions: SQLite compares Django's stored text form with datetime('now', ...)."""

    output_field = models.DateTimeField()
    template = "(STATEMENT_TIMESTAMP() - make_interval(days => (%(expressions)s)::integer))"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="datetime('now', '-' || (%(expressions)s) || ' days')"
        )


@cache
def _case_url() -> str:
    """The case page's address as a format string, reversed once per process (lists link
    every row)."""
    from django.urls import reverse

    return reverse("casework:case", args=[987654321]).replace("987654321", "{}")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> CaseQuerySet:
        """Cases a member of staff may see: only their organisation's; managers and
        organisation admins see all of them, workers and advocates their own and their team's
        (the team is the assigned worker's role: prison-based workers together, community
        advocates together). Anyone else, platform admins included, sees none."""
        from homeward.casework.policies import casework_membership

        membership = casework_membership(user)
        if membership is None:
            return self.none()
        mine = self.filter(organisation_id=membership.organisation_id, anonymised_at__isnull=True)
        if membership.role in MANAGER_ROLES:
            return mine
        return mine.filter(Q(worker=user) | Q(team=membership.role))

    def open(self) -> CaseQuerySet:
        return self.filter(stage__in=OPEN_STAGES)

    def for_list(self) -> CaseQuerySet:
        """The columns a case list shows, with the organisation's settings in the same query
        (for the "no contact for N days" highlight)."""
        return self.select_related(
            "family", "worker", "prison", "organisation__casework_settings"
        ).only(
            "pk", "reference", "stage", "opened_at", "last_contact_at", "expected_release",
            "has_child_restriction", "team", "organisation_id",
            "family__name", "worker__username", "worker__display_name", "worker__erased_at",
            "prison__code", "prison__name", "organisation__id",
            "organisation__casework_settings__no_contact_days",
            "organisation__casework_settings__caseload_optimum",
        )  # fmt: skip

    def quiet(self) -> CaseQuerySet:
        """Open cases with no contact for the organisation's "no contact" period (in SQL, so
        the list needs no query for the setting first)."""
        cutoff = DaysAgo(F("organisation__casework_settings__no_contact_days"))
        return self.filter(
            Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True, opened_at__lt=cutoff)
        )


class Case(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="casework_cases"
    )
    reference = models.CharField(max_length=20)
    family = models.ForeignKey("casework.Family", on_delete=models.PROTECT, related_name="cases")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="casework_cases",
    )
    # The assigned worker's role when assigned: who, besides managers, shares the case.
    team = models.CharField(max_length=20, blank=True)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.NEW)
    prisoner_name = models.CharField("name of the person in prison", max_length=120, blank=True)
    prison_number = models.CharField(max_length=10, blank=True)
    prison = models.ForeignKey(
        "prisons.Prison", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expected_release = models.DateField(null=True, blank=True)
    # Kept by the safeguarding service, so lists show the flag without a join.
    has_child_restriction = models.BooleanField(default=False)
    opened_at = models.DateTimeField(default=timezone.now)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_summary = models.TextField(blank=True)
    satisfaction_token = models.UUIDField(null=True, blank=True, unique=True)
    satisfaction_score = models.PositiveSmallIntegerField(null=True, blank=True)
    satisfaction_comment = models.TextField(blank=True)
    satisfaction_recorded_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[CaseQuerySet] = CaseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["-opened_at", "-pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="casework_case_reference_unique"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organisation", "worker", "stage"]),
            models.Index(fields=["organisation", "team", "stage"]),
            models.Index(fields=["organisation", "stage", "closed_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def url(self) -> str:
        return _case_url().format(self.pk)

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED

    @property
    def next_stages(self) -> list[tuple[str, str]]:
        return [(s, Stage(s).label) for s in NEXT_STAGES[self.stage]]

    def days_since_contact(self, today: date | None = None) -> int | None:
        start = self.opened_at if self.last_contact_at is None else self.last_contact_at
        today = today or timezone.localdate()
        return (today - timezone.localtime(start).date()).days

    def no_contact_for(self, days: int) -> bool:
        since = self.days_since_contact()
        return self.is_open and since is not None and since >= days

    @staticmethod
    def retention_cutoff(years: int, now: datetime | None = None) -> datetime:
        now = now or timezone.now()
        return now - timedelta(days=365 * years + years // 4)


class Assignment(models.Model):
    """Who held a case when: every assignment and reassignment, with the reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"case {self.case_id} → {self.worker_id}"
