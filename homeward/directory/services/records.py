"""Saving whole services in Open Referral UK form (from a feed, a CSV row, the seed data or
the staff form) and the built-in taxonomy. One transaction per service: a bad record raises
ImportRowError and leaves nothing behind."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from homeward.accounts.models import User
from homeward.core import geo
from homeward.core import search as fulltext
from homeward.core.audit import record
from homeward.directory import areas
from homeward.directory import taxonomy as builtin
from homeward.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    LocationType,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from homeward.directory.search import searchable_services

NATIONAL_AREAS = {"national", "england", "england and wales", "united kingdom", "uk", "wales"}


class ImportRowError(ValueError):
    """A record that cannot be saved, with a reason a person can act on."""


# Taxonomy -------------------------------------------------------------------------------------


@transaction.atomic
def seed_taxonomy() -> Taxonomy:
    """Create or refresh the built-in taxonomy. Idempotent."""
    tax, _ = Taxonomy.objects.update_or_create(
        id=builtin.TAXONOMY_ID,
        defaults={k: v for k, v in builtin.TAXONOMY.items() if k != "id"},
    )
    for position, (code, name, description) in enumerate(builtin.TERMS):
        TaxonomyTerm.objects.update_or_create(
            id=builtin.term_id(code),
            defaults={
                "taxonomy": tax,
                "code": code,
                "name": name,
                "description": description,
                "position": position,
            },
        )
    return tax


# Reading ORUK values --------------------------------------------------------------------------


def _uuid(value: Any, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise ImportRowError(f"{what} id {value!r} is not a UUID") from None


def _text(data: Mapping[str, Any], key: str, limit: int | None = None) -> str:
    value = data.get(key)
    if value is None:
        return ""
    text = str(value).strip()
    if limit is not None and len(text) > limit:
        raise ImportRowError(f"{key} is longer than {limit} characters")
    return text


def _age(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    try:
        age = int(float(value))
    except (TypeError, ValueError):
        raise ImportRowError(f"{key} {value!r} is not a number") from None
    if not 0 <= age <= 130:
        raise ImportRowError(f"{key} {value!r} is not an age")
    return age


def _date(data: Mapping[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        parsed = parse_date(str(value)[:10])
    except ValueError:
        parsed = None
    if parsed is None:
        raise ImportRowError(f"{key} {value!r} is not a date (YYYY-MM-DD)")
    return parsed


def _time(data: Mapping[str, Any], key: str) -> time | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        parsed = parse_time(str(value)[:8])
    except ValueError:
        parsed = None
    if parsed is None:
        raise ImportRowError(f"{key} {value!r} is not a time (HH:MM)")
    return parsed


def _float(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ImportRowError(f"{key} {value!r} is not a number") from None


def _amount(data: Mapping[str, Any]) -> Decimal | None:
    value = data.get("amount")
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ImportRowError(f"amount {value!r} is not a number") from None


def _items(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ImportRowError(f"{key} must be a list of objects")
    return value


# Saving a whole service -----------------------------------------------------------------------


def _term_for(data: Mapping[str, Any]) -> TaxonomyTerm:
    term_id = _uuid(data.get("id"), "taxonomy term")
    term = TaxonomyTerm.objects.filter(pk=term_id).first()
    if term is not None:
        return term
    if data.get("taxonomy_id"):
        tax_id = _uuid(data["taxonomy_id"], "taxonomy")
    else:
        tax_id = uuid.uuid5(builtin.NAMESPACE, f"taxonomy:{data.get('taxonomy') or 'imported'}")
    tax, _ = Taxonomy.objects.get_or_create(
        id=tax_id,
        defaults={
            "name": _text(data, "taxonomy", 200) or "Imported",
            "description": "Terms that came with imported services.",
        },
    )
    name = _text(data, "name", 200) or _text(data, "term", 200)
    if not name:
        raise ImportRowError("a taxonomy term has no name")
    return TaxonomyTerm.objects.create(
        id=term_id,
        taxonomy=tax,
        code=f"t-{term_id.hex[:12]}",
        name=name,
        description=_text(data, "description") or name,
    )


def _save_location(data: Mapping[str, Any]) -> Location:
    location_id = _uuid(data.get("id"), "location")
    location_type = _text(data, "location_type") or LocationType.PHYSICAL
    if location_type not in LocationType.values:
        raise ImportRowError(f"location_type {location_type!r} is not one of {LocationType.values}")
    addresses = _items(data, "addresses")
    latitude, longitude = _float(data, "latitude"), _float(data, "longitude")
    outcode = ""
    for address in addresses:
        try:
            place = geo.locate(_text(address, "postal_code"))
        except geo.PostcodeError:
            continue
        outcode = place.outcode
        if latitude is None or longitude is None:
            latitude, longitude = place.point.latitude, place.point.longitude
        break
    if latitude is not None and not -90 <= latitude <= 90:
        latitude = longitude = None  # nowhere on Earth: keep the place, drop the position
    location, _ = Location.objects.update_or_create(
        id=location_id,
        defaults={
            "location_type": location_type,
            "name": _text(data, "name", 200),
            "description": _text(data, "description"),
            "latitude": latitude,
            "longitude": longitude,
            "outcode": outcode,
            "external_identifier": _text(data, "external_identifier", 100),
            "external_identifier_type": _text(data, "external_identifier_type", 100),
        },
    )
    location.addresses.all().delete()
    for address in addresses:
        address_type = _text(address, "address_type") or LocationType.PHYSICAL
        if address_type not in LocationType.values:
            raise ImportRowError(f"address_type {address_type!r} is not allowed")
        Address.objects.create(
            id=_uuid(address.get("id"), "address"),
            location=location,
            attention=_text(address, "attention", 200),
            address_1=_text(address, "address_1", 200),
            city=_text(address, "city", 100),
            region=_text(address, "region", 100),
            state_province=_text(address, "state_province", 100),
            postal_code=_text(address, "postal_code", 10),
            country=_text(address, "country", 2) or "GB",
            address_type=address_type,
        )
    location.accessibility.all().delete()
    for item in _items(data, "accessibility"):
        Accessibility.objects.create(
            id=_uuid(item.get("id"), "accessibility"),
            location=location,
            description=_text(item, "description") or _text(item, "accessibility"),
            details=_text(item, "details"),
            url=_text(item, "url", 200),
        )
    return location


def _index(service: Service) -> None:
    """Refresh the service's search document (from the rows just written)."""
    fresh = searchable_services().get(pk=service.pk)
    fulltext.index(fresh)


def _save_organization(data: Mapping[str, Any], *, is_demo: bool) -> tuple[Organization, bool]:
    """The organisation, and whether its name changed (its services' documents carry it)."""
    if not _text(data, "name"):
        raise ImportRowError("the organisation has no name")
    org_id = _uuid(data.get("id"), "organization")
    before = Organization.objects.filter(pk=org_id).values_list("name", flat=True).first()
    org, _ = Organization.objects.update_or_create(
        id=org_id,
        defaults={
            "name": _text(data, "name", 200),
            "description": _text(data, "description") or _text(data, "name"),
            "email": _text(data, "email", 254),
            "website": _text(data, "website", 200),
            "logo": _text(data, "logo", 200),
            "uri": _text(data, "uri", 200),
            "is_demo": is_demo,
        },
    )
    return org, before is not None and before != org.name


def _derived(data: Mapping[str, Any], locations: list[Location]) -> dict[str, Any]:
    """Homeward's own columns, read from the ORUK record when the caller gives none."""
    areas = [_text(a, "name").lower() for a in _items(data, "service_areas")]
    amounts = [_amount(c) for c in _items(data, "cost_options")]
    phones = _items(data, "phones") or [
        p for c in _items(data, "contacts") for p in _items(c, "phones")
    ]
    return {
        "is_national": any(a in NATIONAL_AREAS for a in areas),
        "in_person": any(loc.location_type == LocationType.PHYSICAL for loc in locations),
        "online": any(loc.location_type == LocationType.VIRTUAL for loc in locations)
        or bool(_text(data, "url")),
        "by_phone": bool(phones),
        "is_free": all(a is None or a == 0 for a in amounts),
    }


ImportOutcome = Literal["created", "updated", "unchanged"]


def _fingerprint(data: Mapping[str, Any], is_demo: bool, homeward: Mapping[str, Any] | None) -> str:
    material = {"record": data, "is_demo": is_demo, "homeward": dict(homeward or {})}
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def save_oruk_service(
    data: Mapping[str, Any],
    *,
    actor: User | None = None,
    is_demo: bool = False,
    homeward: Mapping[str, Any] | None = None,
) -> tuple[Service, ImportOutcome]:
    """Create or replace one fully nested ORUK service (and its organisation and locations) in
    one transaction: a bad record raises ImportRowError and leaves nothing behind. Returns the
    service and "created", "updated" or "unchanged" (the same record again: nothing written).
    `homeward` overrides the derived Homeward columns."""
    if not isinstance(data, Mapping):
        raise ImportRowError("a service must be a JSON object")
    service_id = _uuid(data.get("id"), "service")
    fingerprint = _fingerprint(data, is_demo, homeward)
    existing = Service.objects.filter(pk=service_id, import_fingerprint=fingerprint).first()
    if existing is not None:
        _index(existing)  # cheap, and repairs a document missing from before search existed
        return existing, "unchanged"
    name = _text(data, "name", 200)
    if not name:
        raise ImportRowError("the service has no name")
    status = _text(data, "status") or Service.Status.ACTIVE
    if status not in Service.Status.values:
        raise ImportRowError(f"status {status!r} is not one of {Service.Status.values}")
    org_data = data.get("organization")
    renamed = False
    if isinstance(org_data, Mapping):
        organization, renamed = _save_organization(org_data, is_demo=is_demo)
    elif data.get("organization_id"):
        organization = (
            Organization.objects.filter(pk=_uuid(data["organization_id"], "organization")).first()
            or _save_organization(
                {"id": data["organization_id"], "name": name, "description": name},
                is_demo=is_demo,
            )[0]
        )
    else:
        raise ImportRowError("the service has no organization")
    minimum_age, maximum_age = _age(data, "minimum_age"), _age(data, "maximum_age")
    if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
        raise ImportRowError("minimum_age is above maximum_age")
    modified = parse_datetime(_text(data, "last_modified")) if data.get("last_modified") else None
    locations = [
        _save_location(sal["location"])
        for sal in _items(data, "service_at_locations")
        if isinstance(sal.get("location"), Mapping)
    ]
    extras = _derived(data, locations) | dict(homeward or {})
    service, created = Service.objects.update_or_create(
        id=service_id,
        defaults={
            "organization": organization,
            "name": name,
            "description": _text(data, "description"),
            "url": _text(data, "url", 200),
            "email": _text(data, "email", 254),
            "status": status,
            "fees": _text(data, "fees"),
            "accreditations": _text(data, "accreditations"),
            "minimum_age": minimum_age,
            "maximum_age": maximum_age,
            "eligibility_description": _text(data, "eligibility_description"),
            "assured_date": _date(data, "assured_date"),
            "assurer_email": _text(data, "assurer_email", 254),
            "alert": _text(data, "alert", 300),
            "last_modified": modified or timezone.now(),
            "is_demo": is_demo,
            "import_fingerprint": fingerprint,
            **extras,
        },
    )
    _replace_children(service, data, locations)
    _index(service)
    if renamed:  # its other services are found by the organisation's name too
        for other in organization.services.exclude(pk=service.pk):
            _index(other)
    record(actor, "directory.service_imported", service, created=created)
    return service, "created" if created else "updated"


def _replace_children(service: Service, data: Mapping[str, Any], locations: list[Location]) -> None:
    for related in (
        service.service_at_locations, service.schedules, service.service_areas,
        service.cost_options, service.languages, service.funding, service.phones,
        service.contacts, service.attributes,
    ):  # fmt: skip
        related.all().delete()
    sals = [
        s for s in _items(data, "service_at_locations") if isinstance(s.get("location"), Mapping)
    ]
    for sal, location in zip(sals, locations, strict=True):
        ServiceAtLocation.objects.create(
            id=_uuid(sal.get("id"), "service_at_location"), service=service, location=location
        )
    for item in _items(data, "schedules"):
        days = _text(item, "byday").upper().replace(" ", "")
        Schedule.objects.create(
            id=_uuid(item.get("id"), "schedule"),
            service=service,
            freq=_text(item, "freq", 10) or "WEEKLY",
            byday=days[:30],
            opens_at=_time(item, "opens_at"),
            closes_at=_time(item, "closes_at"),
            description=_text(item, "description")[:300],
            valid_from=_date(item, "valid_from"),
            valid_to=_date(item, "valid_to"),
            attending_type=_text(item, "attending_type")[:100],
            notes=_text(item, "notes"),
        )
    for item in _items(data, "service_areas"):
        _save_area(service, item)
    for item in _items(data, "cost_options"):
        CostOption.objects.create(
            id=_uuid(item.get("id"), "cost_option"),
            service=service,
            option=_text(item, "option", 200),
            amount=_amount(item),
            amount_description=_text(item, "amount_description", 200),
            valid_from=_date(item, "valid_from"),
            valid_to=_date(item, "valid_to"),
        )
    for item in _items(data, "languages"):
        Language.objects.create(
            id=_uuid(item.get("id"), "language"),
            service=service,
            name=_text(item, "name", 100) or _text(item, "code", 10),
            code=_text(item, "code", 10).lower(),
            note=_text(item, "note", 200),
        )
    for item in _items(data, "funding"):
        Funding.objects.create(
            id=_uuid(item.get("id"), "funding"), service=service, source=_text(item, "source")
        )
    for item in _items(data, "contacts"):
        contact = Contact.objects.create(
            id=_uuid(item.get("id"), "contact"),
            service=service,
            name=_text(item, "name", 200),
            title=_text(item, "title", 200),
            email=_text(item, "email", 254),
        )
        for phone in _items(item, "phones"):
            _save_phone(service, phone, contact)
    for phone in _items(data, "phones"):
        _save_phone(service, phone, None)
    for item in _items(data, "attributes"):
        term_data = item.get("taxonomy_term")
        if isinstance(term_data, Mapping):
            term = _term_for(term_data)
        elif item.get("taxonomy_term_id"):
            term = _term_for({"id": item["taxonomy_term_id"], "name": "Imported term"})
        else:
            continue
        Attribute.objects.get_or_create(
            service=service, taxonomy_term=term, defaults={"id": _uuid(item.get("id"), "attribute")}
        )


def _save_area(service: Service, item: Mapping[str, Any]) -> None:
    """A service area. Its kind comes from an ONS area URI (a local authority), the name (the
    country, a region, a local authority Homeward knows) or, from older Homeward exports, an
    extent_type naming the kind; a local authority gets its ONS code, used for matching."""
    name = _text(item, "name") or _text(item, "service_area")
    uri = _text(item, "uri", 200)
    given = _text(item, "extent_type")
    code = areas.code_from_uri(uri) if uri else None
    if code is None and given in ("", ServiceArea.Kind.LOCAL_AUTHORITY):
        found = areas.find(name) if name else None
        code = found.code if found is not None else None
    if given in ServiceArea.Kind.values:
        kind = given
    elif code:
        kind = ServiceArea.Kind.LOCAL_AUTHORITY
    elif name.lower() in NATIONAL_AREAS:
        kind = ServiceArea.Kind.NATIONAL
    elif areas.region(name):
        kind = ServiceArea.Kind.REGION
    else:
        kind = ServiceArea.Kind.LOCAL_AUTHORITY
    if kind != ServiceArea.Kind.LOCAL_AUTHORITY:
        code = None
    ServiceArea.objects.create(
        id=_uuid(item.get("id"), "service_area"),
        service=service,
        name=name,
        kind=kind,
        code=code or "",
        description=_text(item, "service_area"),
        uri=uri or (areas.uri_for(code) if code else ""),
    )


def _save_phone(service: Service, data: Mapping[str, Any], contact: Contact | None) -> None:
    number = _text(data, "number", 40)
    if not number:
        raise ImportRowError("a phone has no number")
    phone_id = _uuid(data.get("id"), "phone")
    Phone.objects.filter(pk=phone_id).delete()
    Phone.objects.create(
        id=phone_id,
        service=service,
        contact=contact,
        number=number,
        description=_text(data, "description", 200),
    )
