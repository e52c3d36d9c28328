"""Directory records for tests, demo data and benchmarks, built through the real services with
seeded randomness. National services are real (data/national_services.py); local ones are
generated, placed at real postcode districts, and marked as demo."""

from __future__ import annotations

import random
import uuid
from typing import Any

from homeward.accounts.models import Organisation
from homeward.core import geo
from homeward.core import search as fulltext
from homeward.directory import areas, services
from homeward.directory.data.national_services import NATIONAL_SERVICES
from homeward.directory.models import DAYS, Organization, Service
from homeward.directory.search import searchable_services
from homeward.directory.taxonomy import NAMESPACE, TERMS, term_id

ALL_DAYS = ",".join(DAYS)
WEEKDAYS = ",".join(DAYS[:5])

# Real districts across England and Wales, with a town name to go with each.
DEMO_PLACES: tuple[tuple[str, str, str], ...] = (
    ("BN7", "Lewes", "East Sussex"), ("BN1", "Brighton", "East Sussex"),
    ("SW18", "Wandsworth", "Greater London"), ("SE1", "Southwark", "Greater London"),
    ("E1", "Whitechapel", "Greater London"), ("M1", "Manchester", "Greater Manchester"),
    ("LS1", "Leeds", "West Yorkshire"), ("NE1", "Newcastle", "Tyne and Wear"),
    ("B1", "Birmingham", "West Midlands"), ("CF10", "Cardiff", "South Glamorgan"),
    ("BS1", "Bristol", "Bristol"), ("L1", "Liverpool", "Merseyside"),
    ("NG1", "Nottingham", "Nottinghamshire"), ("S1", "Sheffield", "South Yorkshire"),
    ("PL1", "Plymouth", "Devon"), ("NR1", "Norwich", "Norfolk"),
    ("SA1", "Swansea", "West Glamorgan"), ("DH1", "Durham", "County Durham"),
    ("LE1", "Leicester", "Leicestershire"), ("HU1", "Hull", "East Yorkshire"),
)  # fmt: skip

_KINDS = (
    ("Family support drop-in", ["visiting-support", "peer-support"]),
    ("Visitors' centre", ["visitors-centres", "visiting-support"]),
    ("Children's group", ["children-young-people", "peer-support"]),
    ("Court support", ["court-support"]),
    ("Counselling", ["counselling-emotional-support"]),
    ("Money and housing advice", ["money-housing-benefits"]),
    ("Parenting course", ["parenting"]),
    ("Coming home support", ["resettlement"]),
    ("Drug and alcohol family group", ["substance-misuse-families", "peer-support"]),
)


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def _schedule(key: str, days: str, opens: str, closes: str) -> dict[str, Any]:
    return {
        "id": _id("schedule", key, days),
        "freq": "WEEKLY",
        "byday": days,
        "opens_at": opens,
        "closes_at": closes,
    }


def _appointments(key: str) -> dict[str, Any]:
    return {
        "id": _id("schedule", key, "appointment"),
        "freq": "WEEKLY",
        "description": "Other times by appointment: phone to arrange",
    }


def national_payload(entry: dict[str, Any]) -> dict[str, Any]:
    key = entry.get("key", entry["name"])  # a renamed entry keeps its id
    org_key = entry.get("org_key", entry["organization"])
    phones = [
        {"id": _id("phone", key, number), "number": number, "description": description}
        for number, description in entry["phones"]
    ]
    region = entry.get("region")
    payload: dict[str, Any] = {
        "id": _id("service", key),
        "name": entry["name"],
        "description": entry["description"],
        "url": entry.get("url", entry["website"]),
        "status": "active",
        "organization": {
            "id": _id("organization", org_key),
            "name": entry["organization"],
            "description": entry["organization"],
            "website": entry["website"],
        },
        "service_areas": [
            {"id": _id("area", key), "name": region or "England and Wales"}
            | ({"extent_type": "region"} if region else {"extent_type": "national"})
        ],
        "phones": phones,
        "attributes": [
            {"id": _id("attribute", key, code), "taxonomy_term_id": str(term_id(code))}
            for code in entry["terms"]
        ],
        "languages": [
            {"id": _id("language", key, code), "name": name, "code": code}
            for code, name in entry.get("languages", [("en", "English")])
        ],
    }
    if entry.get("maximum_age") is not None:
        payload["maximum_age"] = entry["maximum_age"]
    if entry.get("always_open"):
        payload["schedules"] = [_schedule(key, ALL_DAYS, "00:00", "23:59:59")]
    return payload


def seed_national_services() -> list[Service]:
    services.seed_taxonomy()
    saved = []
    for entry in NATIONAL_SERVICES:
        service, _ = services.save_oruk_service(
            national_payload(entry),
            homeward={
                "is_national": entry.get("region") is None,
                "in_person": bool(entry.get("in_person")),
                "by_phone": bool(entry.get("by_phone")),
                "online": bool(entry.get("online")),
                "is_free": True,
            },
        )
        saved.append(service)
    return saved


def demo_payload(r: random.Random, n: int, *, outcode: str | None = None) -> dict[str, Any]:
    """One generated local service (number n), fully nested in ORUK form."""
    place_code, town, county = (
        next(p for p in DEMO_PLACES if p[0] == outcode) if outcode else r.choice(DEMO_PLACES)
    )
    point = geo.outcode_point(place_code)
    assert point is not None, place_code
    kind, codes = r.choice(_KINDS)
    org_name = f"{town} Families Together (demo {n % 97})"
    key = f"demo-{n}"
    children = "children-young-people" in codes
    payload: dict[str, Any] = {
        "id": _id("service", key),
        "name": f"{kind} in {town} (demo)",
        "description": f"A demo listing: {kind.lower()} for families in and around {town}.",
        "status": "active",
        "eligibility_description": "Anyone with a family member or friend in custody.",
        "organization": {
            "id": _id("organization", org_name),
            "name": org_name,
            "description": f"A demo organisation in {town}.",
        },
        "service_at_locations": [
            {
                "id": _id("sal", key),
                "location": {
                    "id": _id("location", key),
                    "location_type": "physical",
                    "name": f"{town} community hub (demo)",
                    # Scatter within ~3 km of the district's centre.
                    "latitude": round(point.latitude + r.uniform(-0.02, 0.02), 5),
                    "longitude": round(point.longitude + r.uniform(-0.03, 0.03), 5),
                    "addresses": [
                        {
                            "id": _id("address", key),
                            "address_1": f"{r.randint(1, 120)} High Street",
                            "city": town,
                            "state_province": county,
                            "postal_code": f"{place_code} {r.randint(1, 9)}AB",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "schedules": [
            _schedule(key, r.choice([WEEKDAYS, "MO,WE,FR", "TU,TH", "SA"]), "09:30", "16:30")
        ]
        # Some run an evening session too, and some see people by appointment as well
        # (chosen by number, not by the random stream, so other demo details stay the same).
        + ([_schedule(key, "WE", "18:00", "20:00")] if n % 3 == 1 else [])
        + ([_appointments(key)] if n % 5 == 2 else []),
        # Half are for residents of the district's local authority; the rest, anyone nearby.
        "service_areas": [
            {"id": _id("area", key), "name": authority.label, "uri": areas.uri_for(authority.code)}
            for authority in areas.for_outcode(place_code)[:1]
            if n % 2 == 0
        ],
        "contacts": [
            {
                "id": _id("contact", key),
                "name": "Duty worker",
                "phones": [{"id": _id("phone", key), "number": f"01632 {960000 + n % 1000:06d}"}],
            }
        ],
        "languages": [{"id": _id("language", key, "en"), "name": "English", "code": "en"}]
        + (
            [{"id": _id("language", key, "cy"), "name": "Welsh", "code": "cy"}]
            if place_code in ("CF10", "SA1")
            else []
        ),
        "attributes": [
            {"id": _id("attribute", key, code), "taxonomy_term_id": str(term_id(code))}
            for code in codes
        ],
        "assured_date": f"2026-{r.randint(1, 11):02d}-{r.randint(1, 28):02d}",
    }
    if children:
        payload["minimum_age"], payload["maximum_age"] = 4, 17
    if r.random() < 0.2:
        payload["cost_options"] = [
            {
                "id": _id("cost", key),
                "option": "Per session",
                "amount": 5,
                "amount_description": "per session",
            }
        ]
    return payload


def seed_demo_services(count: int = 60, *, seed: int = 20261123) -> int:
    services.seed_taxonomy()
    r = random.Random(seed)
    for n in range(count):
        services.save_oruk_service(demo_payload(r, n), is_demo=True)
    return count


def make_service(
    name: str = "Family support drop-in (demo)",
    *,
    outcode: str = "BN7",
    terms: tuple[str, ...] = ("children-young-people",),
    days: str = ALL_DAYS,
    opens: str = "00:00",
    closes: str = "23:59:59",
    owner: Organisation | None = None,
    n: int = 0,
    **fields: Any,
) -> Service:
    """One local service for a test, open (by default) every day, all day."""
    services.seed_taxonomy()
    payload = demo_payload(random.Random(n), 10_000 + n, outcode=outcode)
    payload |= {"name": name, "schedules": [_schedule(f"t{n}", days, opens, closes)]}
    payload["attributes"] = [
        {"id": _id("attribute", name, n, c), "taxonomy_term_id": str(term_id(c))} for c in terms
    ]
    payload |= fields
    service, _ = services.save_oruk_service(payload, is_demo=True)
    if owner is not None:
        Organization.objects.filter(pk=service.organization_id).update(
            homeward_organisation=owner, name=owner.name
        )
        service.refresh_from_db()
        fulltext.index(searchable_services().get(pk=service.pk))  # the new organisation name
    return service


__all__ = ["TERMS", "make_service", "seed_demo_services", "seed_national_services"]
