"""Casework: referrals in, consent, cases with their family, assessment, plan, notes,
attachments, prisoner applications, onward referrals, safeguarding and conferences. Every
record belongs to one organisation; read rules live in the query sets (`visible_to(user)`)."""

from homeward.casework.models.applications import Application
from homeward.casework.models.assessment import DOMAINS, Domain, NeedOutcome, Rating
from homeward.casework.models.attachments import Attachment
from homeward.casework.models.cases import Assignment, Case, CaseQuerySet, Stage
from homeward.casework.models.conferences import Conference
from homeward.casework.models.consent import Consent, ConsentOverride, LawfulBasis, Scope
from homeward.casework.models.notes import Note
from homeward.casework.models.onward import OnwardReferral, Partner, RoutingRule
from homeward.casework.models.people import Family, Person
from homeward.casework.models.plans import PlanAction
from homeward.casework.models.referrals import NEEDS, Referral
from homeward.casework.models.safeguarding import Concern, Restriction
from homeward.casework.models.settings import CaseworkSettings
from homeward.casework.models.views import SavedView

__all__ = [
    "DOMAINS", "NEEDS", "Application", "Assignment", "Attachment", "Case", "CaseQuerySet",
    "CaseworkSettings", "Concern", "Conference", "Consent", "ConsentOverride", "Domain",
    "Family", "LawfulBasis", "NeedOutcome", "Note", "OnwardReferral", "Partner", "Person",
    "PlanAction", "Rating", "Referral", "Restriction", "RoutingRule", "SavedView", "Scope", "Stage",
]  # fmt: skip
