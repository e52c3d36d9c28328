"""Directory records in Open Referral UK 3.0 form (plain dicts, ready for JSON).

Optional fields are left out rather than sent as null or "". Fields the UK profile dropped but
HSDS 3.0 keeps (service `phones`, contact `phones`, language `name`/`code`/`note`, service
`eligibility_description`, cost option `currency`) are still sent, in HSDS form: the schemas
allow extra fields. Querysets that feed these functions use SERVICE_PREFETCH, so a page of
services costs the same number of queries whatever its size."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet

from homeward.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

VERSION = "HSDS-UK-3.0"
PROFILE = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"

Json = dict[str, Any]

LOCATION_PREFETCH = ("location__addresses", "location__accessibility")


def service_prefetches(prefix: str = "") -> list[str | Prefetch[Any]]:
    """What a fully nested service needs, for a queryset of services (prefix "") or of rows
    that point at one ("service__")."""
    return [
        *(
            f"{prefix}{name}"
            for name in (
                "schedules",
                "service_areas",
                "languages",
                "funding",
                "cost_options",
                "contacts",
                "phones",
            )
        ),
        Prefetch(
            f"{prefix}attributes",
            queryset=Attribute.objects.select_related("taxonomy_term__taxonomy"),
        ),
        Prefetch(
            f"{prefix}service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                *LOCATION_PREFETCH
            ),
        ),
    ]


def services_for_api(queryset: QuerySet[Service]) -> QuerySet[Service]:
    return queryset.select_related("organization").prefetch_related(*service_prefetches())


def compact(data: Json) -> Json:
    """Drop what isn't there: None, and empty optional strings."""
    return {k: v for k, v in data.items() if v is not None and v != ""}


def organization(service: Service) -> Json:
    org = service.organization
    return compact(
        {
            "id": str(org.id),
            "name": org.name,
            "description": org.description or org.name,
            "email": org.email,
            "website": org.website,
            "logo": org.logo,
            "uri": org.uri,
        }
    )


def taxonomy_term(term: TaxonomyTerm, *, taxonomy: Taxonomy | None = None) -> Json:
    tax = taxonomy or term.taxonomy
    return compact(
        {
            "id": str(term.id),
            "name": term.name,
            "description": term.description or term.name,
            "parent_id": str(term.parent_id) if term.parent_id else None,
            "taxonomy": tax.name,
            "taxonomy_id": str(term.taxonomy_id),
            "term_uri": term.term_uri,
            "term": term.code,
        }
    )


def taxonomy(tax: Taxonomy) -> Json:
    return compact(
        {
            "id": str(tax.id),
            "name": tax.name,
            "description": tax.description or tax.name,
            "uri": tax.uri,
            "version": tax.version,
        }
    )


def _time(value: Any) -> str | None:
    return value.strftime("%H:%M:%S") if value is not None else None


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _group(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


class Loaded:
    """Every record that nests inside these services, fetched in a fixed number of queries
    (one per table) as plain rows: cheaper than model instances and Django's per-object
    prefetch machinery when a page holds 50 services."""

    def __init__(self, service_ids: Iterable[uuid.UUID]) -> None:
        ids = list(service_ids)

        def rows(model: type[Any], *fields: str, key: str = "service_id", within: Any = ids) -> Any:
            return _group(
                model.objects.filter(**{f"{key}__in": within}).order_by("id").values(key, *fields),
                key,
            )

        self.schedules = rows(
            Schedule, "id", "freq", "byday", "opens_at", "closes_at", "description",
            "valid_from", "valid_to", "attending_type", "notes",
        )  # fmt: skip
        self.areas = rows(ServiceArea, "id", "name", "description", "kind", "uri")
        self.languages = rows(Language, "id", "name", "code", "note")
        self.funding = rows(Funding, "id", "source")
        self.costs = rows(
            CostOption, "id", "option", "amount", "amount_description", "valid_from", "valid_to"
        )
        self.contacts = rows(Contact, "id", "name", "title", "email")
        self.phones = rows(Phone, "id", "contact_id", "number", "description")
        self.attributes = rows(
            Attribute, "id", "taxonomy_term_id", "taxonomy_term__name",
            "taxonomy_term__description", "taxonomy_term__parent_id", "taxonomy_term__code",
            "taxonomy_term__term_uri", "taxonomy_term__taxonomy_id",
            "taxonomy_term__taxonomy__name",
        )  # fmt: skip
        location_fields = (
            "location_type", "name", "description", "latitude", "longitude",
            "external_identifier", "external_identifier_type",
        )  # fmt: skip
        self.sals = rows(
            ServiceAtLocation, "id", "location_id", *(f"location__{f}" for f in location_fields)
        )
        self.locations = {
            sal["location_id"]: {f: sal[f"location__{f}"] for f in location_fields}
            for group in self.sals.values()
            for sal in group
        }
        location_ids = list(self.locations)
        self.addresses = rows(
            Address, "id", "attention", "address_1", "city", "region", "state_province",
            "postal_code", "country", "address_type", key="location_id", within=location_ids,
        )  # fmt: skip
        self.accessibility = rows(
            Accessibility, "id", "description", "details", "url", key="location_id",
            within=location_ids,
        )  # fmt: skip

    def location(self, location_id: uuid.UUID) -> Json:
        loc = self.locations[location_id]
        lid = str(location_id)
        return compact(
            {
                "id": lid,
                **loc,
                "addresses": [
                    compact({**a, "id": str(a["id"]), "location_id": lid})
                    | {k: a[k] for k in ("address_1", "city", "state_province", "postal_code")}
                    for a in self.addresses.get(location_id, [])
                ],
                "accessibility": [
                    compact({**a, "id": str(a["id"]), "location_id": lid})
                    for a in self.accessibility.get(location_id, [])
                ],
            }
        )

    def service(self, s: Service) -> Json:
        """A fully nested service."""
        sid = str(s.id)
        phones_by_contact: dict[Any, list[Json]] = defaultdict(list)
        for p in self.phones.get(s.id, []):
            contact = p["contact_id"]
            phones_by_contact[contact].append(
                compact(
                    {
                        "id": str(p["id"]),
                        "service_id": sid,
                        "contact_id": str(contact) if contact else None,
                        "number": p["number"],
                        "description": p["description"],
                    }
                )
            )
        return compact(
            {
                "id": sid,
                "organization_id": str(s.organization_id),
                "name": s.name,
                "description": s.description,
                "url": s.url,
                "email": s.email,
                "status": s.status,
                "fees": s.fees,
                "accreditations": s.accreditations,
                "eligibility_description": s.eligibility_description,
                "minimum_age": s.minimum_age,
                "maximum_age": s.maximum_age,
                "assured_date": _day(s.assured_date),
                "assurer_email": s.assurer_email,
                "alert": s.alert,
                "last_modified": s.last_modified.isoformat(),
                "organization": organization(s),
                "schedules": [
                    compact(
                        {
                            **x,
                            "id": str(x["id"]),
                            "service_id": sid,
                            "opens_at": _time(x["opens_at"]),
                            "closes_at": _time(x["closes_at"]),
                            "valid_from": _day(x["valid_from"]),
                            "valid_to": _day(x["valid_to"]),
                        }
                    )
                    for x in self.schedules.get(s.id, [])
                ],
                "service_areas": [
                    compact(
                        {
                            "id": str(a["id"]),
                            "service_id": sid,
                            "name": a["name"],
                            "service_area": a["description"],
                            "uri": a["uri"],
                        }
                    )
                    for a in self.areas.get(s.id, [])
                ],
                "service_at_locations": [
                    {
                        "id": str(sal["id"]),
                        "service_id": sid,
                        "location_id": str(sal["location_id"]),
                        "location": self.location(sal["location_id"]),
                    }
                    for sal in self.sals.get(s.id, [])
                ],
                "languages": [
                    compact({**x, "id": str(x["id"]), "service_id": sid})
                    for x in self.languages.get(s.id, [])
                ],
                "funding": [
                    {"id": str(x["id"]), "service_id": sid, "source": x["source"]}
                    for x in self.funding.get(s.id, [])
                ],
                "cost_options": [
                    compact(
                        {
                            "id": str(x["id"]),
                            "service_id": sid,
                            "option": x["option"],
                            "amount": float(x["amount"]) if x["amount"] is not None else None,
                            "currency": "GBP" if x["amount"] is not None else None,
                            "amount_description": x["amount_description"],
                            "valid_from": _day(x["valid_from"]),
                            "valid_to": _day(x["valid_to"]),
                        }
                    )
                    for x in self.costs.get(s.id, [])
                ],
                "contacts": [
                    compact(
                        {
                            **c,
                            "id": str(c["id"]),
                            "service_id": sid,
                            "phones": phones_by_contact.get(c["id"]) or None,
                        }
                    )
                    for c in self.contacts.get(s.id, [])
                ],
                "phones": phones_by_contact.get(None, []),
                "attributes": [
                    {
                        "id": str(a["id"]),
                        "link_id": sid,
                        "link_type": "service",
                        "taxonomy_term_id": str(a["taxonomy_term_id"]),
                        "taxonomy_term": compact(
                            {
                                "id": str(a["taxonomy_term_id"]),
                                "name": a["taxonomy_term__name"],
                                "description": a["taxonomy_term__description"]
                                or a["taxonomy_term__name"],
                                "parent_id": str(a["taxonomy_term__parent_id"])
                                if a["taxonomy_term__parent_id"]
                                else None,
                                "taxonomy": a["taxonomy_term__taxonomy__name"],
                                "taxonomy_id": str(a["taxonomy_term__taxonomy_id"]),
                                "term_uri": a["taxonomy_term__term_uri"],
                                "term": a["taxonomy_term__code"],
                            }
                        ),
                    }
                    for a in self.attributes.get(s.id, [])
                ],
            }
        )


def services(rows: Sequence[Service]) -> list[Json]:
    """Fully nested services (fetched with select_related("organization"))."""
    loaded = Loaded(s.id for s in rows)
    return [loaded.service(s) for s in rows]


def service(s: Service) -> Json:
    return services([s])[0]


def service_at_locations(
    rows: Sequence[ServiceAtLocation], distances_m: dict[uuid.UUID, float] | None = None
) -> list[Json]:
    """Services at locations, each with its location and fully nested service (rows fetched
    with select_related("service__organization"))."""
    loaded = Loaded({sal.service_id for sal in rows})
    distances_m = distances_m or {}
    return [
        compact(
            {
                "id": str(sal.id),
                "service_id": str(sal.service_id),
                "location_id": str(sal.location_id),
                "location": loaded.location(sal.location_id),
                "service": loaded.service(sal.service),
                "distance": round(distances_m[sal.id]) if sal.id in distances_m else None,
            }
        )
        for sal in rows
    ]
