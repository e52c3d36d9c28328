"""Staff listings, the "assured on" reminders and families' requests for support."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from homeward.accounts.models import MANAGER_ROLES, Membership, Organisation, User
from homeward.core import geo
from homeward.core.audit import record
from homeward.core.notifications import notify
from homeward.directory import areas
from homeward.directory import taxonomy as builtin
from homeward.directory.models import Organization, Service, ServiceArea, in_week_order
from homeward.directory.services.records import save_oruk_service

# Assurance and reminders ----------------------------------------------------------------------


def owners_of(service: Service) -> list[User]:
    """The managers of the Homeward organisation that keeps this service (none for others)."""
    org = service.organization.homeward_organisation
    if org is None:
        return []
    return [
        m.user
        for m in Membership.objects.filter(
            organisation=org, role__in=MANAGER_ROLES, user__is_active=True
        ).select_related("user")
    ]


@transaction.atomic
def mark_assured(actor: User, service: Service) -> None:
    """Staff checked the listing today."""
    service.assured_date = timezone.localdate()
    service.stale_reminded_on = None
    service.last_modified = timezone.now()
    service.save(update_fields=["assured_date", "stale_reminded_on", "last_modified"])
    record(actor, "directory.service_assured", service)


def remind_stale(today: date | None = None) -> int:
    """Tell the owners of each listing not checked for three months, once per stale spell.
    Returns how many services were reminded about. Safe to run daily."""
    today = today or timezone.localdate()
    reminded = 0
    due = (
        Service.objects.listed()
        .stale(today)
        .filter(organization__homeward_organisation__isnull=False, stale_reminded_on__isnull=True)
        .select_related("organization__homeward_organisation")
    )
    for service in due:
        with transaction.atomic():
            for owner in owners_of(service):
                notify(
                    owner,
                    kind="directory_stale",
                    title="One of your directory listings needs checking",
                    url=f"/directory/services/{service.pk}/",
                )
            service.stale_reminded_on = today
            service.save(update_fields=["stale_reminded_on"])
        reminded += 1
    return reminded


@transaction.atomic
def request_support(requester: User, service: Service, message: str) -> int:
    """Ask the organisation that runs a service for support. For an organisation that uses
    Homeward this puts a referral in its casework triage queue (the member then follows it on
    their requests page), and tells its managers discreetly (no names, no "prison").
    Asking twice the same day with the same words makes one referral. Returns how many people
    were told."""
    from django.urls import reverse

    from homeward.casework.models import Referral
    from homeward.casework.services.referrals import ReferralData, submit_referral

    organisation = service.organization.homeward_organisation
    owners = owners_of(service)
    referral = None
    if organisation is not None:
        token = uuid.uuid5(
            builtin.NAMESPACE,
            f"support-request:{requester.pk}:{service.pk}:{timezone.localdate()}:{message.strip()}",
        )
        referral, created = submit_referral(
            organisation,
            ReferralData(
                family_name=requester.public_name,
                contact_name=requester.public_name,
                contact_email=requester.email,
                details=f"Asked through the directory listing “{service.name}”.\n\n{message}".strip(),
                consent_attested=True,
                consent_how=Referral.HowObtained.ONLINE,
            ),
            source=Referral.Source.DIRECTORY,
            token=token,
            submitted_by=requester,
            directory_service_id=service.pk,
        )
        if not created:
            return 0
    for owner in owners:
        notify(
            owner,
            kind="directory_request",
            title="Someone asked your team for support",
            url=reverse("casework:referral", args=[referral.pk])
            if referral is not None
            else f"/directory/services/{service.pk}/",
        )
    record(
        requester,
        "directory.support_requested",
        service,
        organisation=organisation,
        told=len(owners),
        message_length=len(message),
        referral=referral.pk if referral is not None else None,
    )
    return len(owners)


def term_ids(codes: Iterable[str]) -> list[uuid.UUID]:
    return [builtin.term_id(code) for code in codes]


# Staff listings ---------------------------------------------------------------------------------

PLATFORM_ORGANIZATION_ID = uuid.uuid5(builtin.NAMESPACE, "organization:homeward-platform")


def listing_for_edit(queryset: QuerySet[Service], pk: uuid.UUID) -> Service | None:
    from homeward.directory import oruk

    return oruk.services_for_api(queryset).filter(pk=pk).first()


def listing_initial(service: Service) -> dict[str, Any]:
    """The edit form's starting values, from a service fetched by listing_for_edit."""
    sal = next(iter(service.service_at_locations.all()), None)
    address = next(iter(sal.location.addresses.all()), None) if sal else None
    service_areas = list(service.service_areas.all())
    kinds = [a.kind for a in service_areas]
    area_kind = next(
        (k for k in (ServiceArea.Kind.NATIONAL, ServiceArea.Kind.REGION) if k in kinds),
        ServiceArea.Kind.LOCAL_AUTHORITY if kinds else "",
    )
    phone = next((p for p in service.phones.all() if p.contact_id is None), None)
    cost = next((c for c in service.cost_options.all() if c.amount is not None), None)
    contact = next(iter(service.contacts.all()), None)
    access = next(iter(sal.location.accessibility.all()), None) if sal else None
    return {
        "cost_amount": cost.amount if cost else None,
        "contact_name": contact.name if contact else "",
        "accessibility": access.description if access else "",
        "name": service.name, "description": service.description, "status": service.status,
        "alert": service.alert,
        "needs": [a.taxonomy_term.code for a in service.attributes.all()],
        "eligibility": service.eligibility_description,
        "minimum_age": service.minimum_age, "maximum_age": service.maximum_age,
        "is_free": service.is_free, "fees": service.fees, "in_person": service.in_person,
        "by_phone": service.by_phone, "online": service.online,
        "phone": phone.number if phone else "", "email": service.email, "url": service.url,
        "languages": [x.code for x in service.languages.all()],
        "address_1": address.address_1 if address else "", "city": address.city if address else "",
        "postcode": address.postal_code if address else "",
        "area_kind": area_kind,
        "local_authorities": "\n".join(
            _area_label(a) for a in service_areas if a.kind == ServiceArea.Kind.LOCAL_AUTHORITY
        ),
        "regions": [a.name for a in service_areas if a.kind == ServiceArea.Kind.REGION],
    }  # fmt: skip


def listing_schedules(service: Service) -> list[dict[str, Any]]:
    """The opening-times rows' starting values, in week order (from listing_for_edit)."""
    return [
        {
            "id": s.id, "days": s.days, "opens_at": s.opens_at, "closes_at": s.closes_at,
            "description": s.description,
        }
        for s in in_week_order(service.schedules.all())
    ]  # fmt: skip


def _schedules_payload(rows: list[Mapping[str, Any]], old: list[Any]) -> list[dict[str, Any]]:
    """Schedules from the form's rows. A row that was a saved schedule keeps that schedule's id
    and the fields the form doesn't show (valid_from, notes... from an import)."""
    before = {str(x.get("id")): x for x in old if isinstance(x, Mapping)}
    schedules = []
    for row in rows:
        kept = before.get(str(row.get("id")))
        opens, closes = row.get("opens_at"), row.get("closes_at")
        schedules.append(
            dict(kept or {"freq": "WEEKLY"})
            | {
                "id": str(kept["id"]) if kept else str(uuid.uuid4()),
                "byday": ",".join(row.get("days") or []),
                "opens_at": opens.isoformat() if opens else None,
                "closes_at": closes.isoformat() if closes else None,
                "description": row.get("description") or "",
            }
        )
    return schedules


def _area_label(area: ServiceArea) -> str:
    known = areas.authority(area.code) if area.code else None
    return known.label if known is not None else area.name


def _areas_payload(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Service areas from the form: nothing (anyone who can get there), the country, regions
    (names), or local authorities (with their ONS codes, used in matching)."""
    kind = data["area_kind"]
    if kind == ServiceArea.Kind.NATIONAL:
        names = [("England and Wales", "")]
    elif kind == ServiceArea.Kind.REGION:
        names = [(name, "") for name in data["regions"]]
    elif kind == ServiceArea.Kind.LOCAL_AUTHORITY:
        found = [areas.find(line) for line in data["local_authorities"].splitlines()]
        names = [(a.label, areas.uri_for(a.code)) for a in found if a is not None]
    else:
        names = []
    return [
        {"id": str(uuid.uuid4()), "name": name, "extent_type": kind} | ({"uri": uri} if uri else {})
        for name, uri in names
    ]


def _organization_payload(organisation: Organisation | None) -> dict[str, Any]:
    if organisation is None:
        return {
            "id": str(PLATFORM_ORGANIZATION_ID),
            "name": "Listed by Homeward",
            "description": "National services listed by Homeward's platform team.",
        }
    org = Organization.objects.filter(homeward_organisation=organisation).first()
    if org is None:
        org = Organization.objects.create(
            name=organisation.name,
            description=organisation.name,
            website=organisation.website,
            email=organisation.email,
            homeward_organisation=organisation,
        )
    return {"id": str(org.id), "name": org.name, "description": org.description}


def create_listing(
    actor: User,
    organisation: Organisation | None,
    editable: QuerySet[Service],
    data: Mapping[str, Any],
    place: geo.Place | None,
) -> Service:
    """A new listing from the staff form. data["key"] is the id the form was given when it was
    shown: the same form sent again (a double click, a resubmit) updates the listing it created
    instead of making a second; a key naming a service this person can't edit is ignored."""
    key: uuid.UUID | None = data.get("key")
    if key is not None:
        again = listing_for_edit(editable, key)
        if again is not None:
            return save_listing(actor, None, again, data, place)
        if Service.objects.filter(pk=key).exists():
            key = None
    return save_listing(actor, organisation, None, data, place, new_id=key)


@transaction.atomic
def save_listing(
    actor: User,
    organisation: Organisation | None,
    service: Service | None,
    data: Mapping[str, Any],
    place: geo.Place | None,
    *,
    new_id: uuid.UUID | None = None,
) -> Service:
    """Create (service None) or update a listing from the staff form. The service is rebuilt in
    ORUK form and saved through save_oruk_service, so a listing edited here and one imported
    from a feed are stored the same way. Records the form doesn't show are kept."""
    from homeward.directory import oruk
    from homeward.directory.forms import LANGUAGES

    if service is None:
        payload: dict[str, Any] = {
            "id": str(new_id or uuid.uuid4()),
            "organization": _organization_payload(organisation),
        }
    else:
        payload = oruk.service(service)
    language_names = dict(LANGUAGES)
    payload |= {
        "name": data["name"],
        "description": data["description"],
        "status": data["status"],
        "alert": data["alert"],
        "eligibility_description": data["eligibility"],
        "minimum_age": data["minimum_age"],
        "maximum_age": data["maximum_age"],
        "fees": "" if data["is_free"] else data["fees"],
        "email": data["email"],
        "url": data["url"],
        "last_modified": timezone.now().isoformat(),
        "phones": [{"id": str(uuid.uuid4()), "number": data["phone"]}] if data["phone"] else [],
        "languages": [
            {"id": str(uuid.uuid4()), "name": language_names[code], "code": code}
            for code in data["languages"]
        ],
        "schedules": _schedules_payload(data["schedules"], payload.get("schedules") or []),
        "service_areas": _areas_payload(data),
    }
    kept_terms = [
        a
        for a in payload.get("attributes", [])
        if a["taxonomy_term"].get("taxonomy_id") != str(builtin.TAXONOMY_ID)
    ]
    payload["attributes"] = kept_terms + [
        {"id": str(uuid.uuid4()), "taxonomy_term_id": str(builtin.term_id(code))}
        for code in data["needs"]
    ]
    sals = list(payload.get("service_at_locations", []))
    if place is not None:
        first = sals[0]["location"] if sals else {"id": str(uuid.uuid4())}
        old_address = (first.get("addresses") or [{}])[0]
        location = first | {
            "location_type": "physical",
            "latitude": place.point.latitude,
            "longitude": place.point.longitude,
            "addresses": [
                {
                    "id": old_address.get("id") or str(uuid.uuid4()),
                    "address_1": data["address_1"],
                    "city": data["city"],
                    "state_province": old_address.get("state_province", ""),
                    "postal_code": place.postcode,
                    "country": "GB",
                    "address_type": "physical",
                }
            ],
        }
        old_access = (first.get("accessibility") or [{}])[0]
        location["accessibility"] = (
            [
                {
                    "id": old_access.get("id") or str(uuid.uuid4()),
                    "description": data["accessibility"],
                }
            ]
            if data["accessibility"]
            else []
        )
        sal = {"id": sals[0]["id"] if sals else str(uuid.uuid4()), "location": location}
        sals = [sal, *sals[1:]]
    elif not data["in_person"]:
        sals = []
    payload["service_at_locations"] = sals
    old_cost = (payload.get("cost_options") or [{}])[0]
    if data["is_free"]:
        payload["cost_options"] = []
    elif data["cost_amount"] is not None:
        payload["cost_options"] = [
            {
                "id": old_cost.get("id") or str(uuid.uuid4()),
                "option": data["fees"] or "Cost",
                "amount": str(data["cost_amount"]),
                "amount_description": data["fees"],
            }
        ]
    if data["contact_name"]:
        contacts = list(payload.get("contacts") or [])
        first_contact = contacts[0] if contacts else {"id": str(uuid.uuid4())}
        payload["contacts"] = [first_contact | {"name": data["contact_name"]}, *contacts[1:]]
    saved, created = save_oruk_service(
        payload,
        actor=actor,
        is_demo=service.is_demo if service else False,
        homeward={
            "is_national": data["area_kind"] == ServiceArea.Kind.NATIONAL,
            "in_person": data["in_person"],
            "by_phone": data["by_phone"],
            "online": data["online"],
            "is_free": data["is_free"],
        },
    )
    record(actor, "directory.listing_created" if created else "directory.listing_changed", saved)
    return saved
