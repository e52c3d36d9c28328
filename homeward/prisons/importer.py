"""Importing the Ministry of Justice establishment data (data/prisons.json, see data/README.md).

Idempotent: each record's fingerprint is kept, so the same file again changes nothing. A changed
record updates its page and tells the prison's followers what changed, in one transaction."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.core import geo
from homeward.prisons.models import BookingUnit, Kind, Prison
from homeward.prisons.regions import region_for

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "prisons.json"

# Commit → the date of that commit in the source repository (see data/README.md). The visiting
# times are shown "as last published" on the date of the prison-visits-2 commit they came from.
SOURCE_DATES: dict[str, date] = {
    "a0f2a53844cb": date(2026, 7, 31),  # ministryofjustice/prison-visits-2
    "8dc0227fee2c": date(2026, 8, 18),  # ministryofjustice/prison-register
}
_COMMIT = re.compile(r"@([0-9a-f]{7,40})\b")

PRISON_FIELDS = (
    "name", "official_name", "name_cy", "active", "record", "types", "categories", "operators",
    "male", "female", "contracted", "long_term_high_security", "address_line1", "address_line2",
    "town", "county", "country", "postcode", "address_cy", "other_addresses", "phone", "email",
    "latitude", "longitude", "region", "kind", "source", "source_date", "data_hash",
    "imported_at", "changed_at",
)  # fmt: skip

ADDRESS_KEYS = ("address_line1", "address_line2", "town", "county", "country", "postcode")
NAME_KEYS = ("name", "official_name", "name_cy")
ABOUT_KEYS = ("types", "categories", "operators", "male", "female", "contracted")


class ImportProblem(Exception):
    """The file cannot be imported, with a message for the person running the command."""


@dataclass
class ImportReport:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    unchanged: int = 0
    notified: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated or self.closed)

    def summary(self) -> str:
        return (
            f"{len(self.new)} new, {len(self.updated)} updated, {len(self.closed)} closed, "
            f"{self.unchanged} unchanged"
        )


def load(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImportProblem(f"Cannot read {path}: {error}") from error
    if not isinstance(data, list) or not all(
        isinstance(r, dict) and isinstance(r.get("code"), str) and r.get("name") for r in data
    ):
        raise ImportProblem(f"{path} is not a list of records that each have a code and a name")
    codes = [r["code"] for r in data]
    if len(set(codes)) != len(codes):
        raise ImportProblem(f"{path} has the same code more than once")
    return data


def fingerprint(record: dict[str, Any]) -> str:
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def source_date(record: dict[str, Any]) -> date | None:
    """The date of the visiting data (prison-visits-2's commit), else of the register's."""
    sources = [str(s) for s in record.get("source") or []]
    for wanted in ("prison-visits-2", ""):
        dates = [
            SOURCE_DATES[m.group(1)[:12]]
            for s in sources
            if wanted in s
            for m in [_COMMIT.search(s)]
            if m and m.group(1)[:12] in SOURCE_DATES
        ]
        if dates:
            return max(dates)
    return None


def _text(value: Any) -> str:
    return str(value).strip() if value not in (None, "") else ""


def _kind(record: dict[str, Any]) -> str:
    types = set(record.get("types") or [])
    if "IRC" in types:
        return Kind.IMMIGRATION.value
    if types & {"STC", "YCS"}:
        return Kind.YOUNG.value
    if record.get("female") and not record.get("male"):
        return Kind.WOMEN.value
    if record.get("male"):
        return Kind.MEN.value
    return Kind.OTHER.value


def _point(record: dict[str, Any]) -> geo.Point | None:
    postcodes = [record.get("postcode")] + [v.get("postcode") for v in record.get("visits") or []]
    for postcode in postcodes:
        if not postcode:
            continue
        try:
            outcode, _ = geo.parse_postcode(str(postcode))
        except geo.PostcodeError:
            continue
        point = geo.outcode_point(outcode)
        if point is not None:
            return point
    return None


def prison_values(record: dict[str, Any], digest: str) -> dict[str, Any]:
    point = _point(record)
    now = timezone.now()
    return {
        "name": _text(record.get("name")),
        "official_name": _text(record.get("official_name")),
        "name_cy": _text(record.get("name_cy")),
        "active": record.get("active"),
        "record": record,
        "types": list(record.get("types") or []),
        "categories": list(record.get("categories") or []),
        "operators": list(record.get("operators") or []),
        "male": bool(record.get("male")),
        "female": bool(record.get("female")),
        "contracted": bool(record.get("contracted")),
        "long_term_high_security": bool(record.get("long_term_high_security_estate")),
        **{key: _text(record.get(key)) for key in ADDRESS_KEYS},
        "address_cy": record.get("address_cy") or {},
        "other_addresses": list(record.get("other_addresses") or []),
        "phone": _text(record.get("phone")),
        "email": _text(record.get("email")),
        "latitude": point.latitude if point else None,
        "longitude": point.longitude if point else None,
        "region": region_for(
            county=_text(record.get("county")),
            country=_text(record.get("country")),
            postcode=_text(record.get("postcode")),
        ),
        "kind": _kind(record),
        "source": list(record.get("source") or []),
        "source_date": source_date(record),
        "data_hash": digest,
        "imported_at": now,
        "changed_at": now,
    }


def _number(value: Any) -> int | None:
    return int(value) if isinstance(value, int) and value >= 0 else None


def booking_units(prison: Prison, record: dict[str, Any]) -> list[BookingUnit]:
    return [
        BookingUnit(
            prison=prison,
            position=position,
            name=_text(visit.get("booking_unit")) or prison.name,
            name_cy=_text(visit.get("booking_unit_cy")),
            online_booking=bool(visit.get("online_booking_enabled")),
            closed=bool(visit.get("closed")),
            private=bool(visit.get("private")),
            address_lines=[str(line) for line in visit.get("address_lines") or [] if line],
            postcode=_text(visit.get("postcode")),
            phone=_text(visit.get("phone")),
            email=_text(visit.get("email")),
            adult_age=_number(visit.get("adult_age")),
            lead_days=_number(visit.get("lead_days")),
            booking_window_days=_number(visit.get("booking_window_days")),
            weekly_slots={
                day: [str(s) for s in slots]
                for day, slots in (visit.get("weekly_slots") or {}).items()
                if slots
            },
        )
        for position, visit in enumerate(record.get("visits") or [])
    ]


def what_changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The changes between two versions of a record, in words a family understands."""
    changes: list[str] = []
    if old.get("active") is not False and new.get("active") is False:
        changes.append("it has closed")
    elif old.get("active") is False and new.get("active") is not False:
        changes.append("it has opened again")
    old_visits, new_visits = old.get("visits") or [], new.get("visits") or []
    if [v.get("weekly_slots") for v in old_visits] != [v.get("weekly_slots") for v in new_visits]:
        changes.append("visiting times")

    def booking(visits: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in visit.items() if k not in {"weekly_slots", "source"}}
            for visit in visits
        ]

    if booking(old_visits) != booking(new_visits) or any(
        old.get(k) != new.get(k) for k in ("phone", "email")
    ):
        changes.append("how to book")
    if any(old.get(k) != new.get(k) for k in ADDRESS_KEYS):
        changes.append("address")
    if any(old.get(k) != new.get(k) for k in NAME_KEYS):
        changes.append("name")
    if any(old.get(k) != new.get(k) for k in ABOUT_KEYS):
        changes.append("who it is for and who runs it")
    return changes or ["other details"]


def import_prisons(path: Path = DEFAULT_PATH, *, codes: set[str] | None = None) -> ImportReport:
    """Bring the guide in line with the file (or only the records with `codes`, for tests)."""
    records = load(path)
    if codes is not None:
        records = [r for r in records if r["code"] in codes]
    return import_records(records)


@transaction.atomic
def import_records(records: list[dict[str, Any]]) -> ImportReport:
    """Records no longer in the file are left as they are: the register keeps closed
    establishments, so absence is not a closure."""
    from homeward.prisons import services

    report = ImportReport()
    existing = {p.code: p for p in Prison.objects.all()}
    new_units: list[BookingUnit] = []
    replaced: list[str] = []
    for record in records:
        code = record["code"].strip().upper()
        digest = fingerprint(record)
        prison = existing.get(code)
        if prison is not None and prison.data_hash == digest:
            report.unchanged += 1
            continue
        values = prison_values(record, digest)
        if prison is None:
            prison = Prison.objects.create(code=code, **values)
            report.new.append(code)
        else:
            changes = what_changed(prison.record, record)
            for key, value in values.items():
                setattr(prison, key, value)
            prison.save(update_fields=PRISON_FIELDS)
            replaced.append(code)
            (report.closed if "it has closed" in changes else report.updated).append(code)
            report.notified += services.tell_followers_of_change(prison, changes)
        new_units.extend(booking_units(prison, record))
    BookingUnit.objects.filter(prison_id__in=replaced).delete()
    BookingUnit.objects.bulk_create(new_units)
    return report
