"""Moving services in and out: another ORUK 3.0 feed (a base URL, or a folder of JSON in the
same shape), and a flat CSV template that spreadsheets can edit. Imports are idempotent (records
keep their ids), save one service per transaction, and report every row that failed, and why."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from homeward.directory import oruk
from homeward.directory.models import Schedule, Service, in_week_order
from homeward.directory.services import ImportRowError, save_oruk_service
from homeward.directory.taxonomy import NAMESPACE, TAXONOMY_ID, term_id

Progress = Callable[[str], None]


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (row, reason)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.failed)} failed"
        )


def _import_all(records: Iterable[tuple[str, Any]], progress: Progress | None) -> ImportReport:
    report = ImportReport()
    for label, data in records:
        try:
            service, outcome = save_oruk_service(data)
        except ImportRowError as error:
            report.failed.append((label, str(error)))
            if progress:
                progress(f"{label}: failed: {error}")
            continue
        getattr(report, outcome).append(str(service.pk))
        if progress:
            progress(f"{label}: {outcome} {service.name}")
    return report


# ORUK feeds -------------------------------------------------------------------------------------


def _looks_like_service(data: Any) -> bool:
    return isinstance(data, dict) and "contents" not in data and "status" in data


def _folder_records(folder: Path) -> Iterator[tuple[str, Any]]:
    """Services from every JSON file in a folder: single services and paged service lists.
    A service that appears twice (a list and its full record) is imported once, fullest first."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            yield path.name, {"_error": f"not readable JSON ({error})"}
            continue
        items = data.get("contents") if isinstance(data, dict) else None
        candidates = items if isinstance(items, list) else [data]
        for i, item in enumerate(candidates):
            if not _looks_like_service(item):
                continue
            label = f"{path.name}[{i}]" if items is not None else path.name
            key = str(item.get("id"))
            if key not in found or len(json.dumps(item)) > len(json.dumps(found[key][1])):
                found[key] = (label, item)
    yield from found.values()


def _get_json(url: str, timeout: float) -> Any:
    # The scheme was checked in _feed_records: http(s) only.
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
        return json.loads(response.read().decode("utf-8"))


def _feed_records(base_url: str, timeout: float, per_page: int) -> Iterator[tuple[str, Any]]:
    """Every service of an ORUK feed: the paged /services list, then /services/{id} for each."""
    base = base_url.rstrip("/")
    if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
        raise ValueError("The feed address must start with http:// or https://")
    page = 1
    while True:
        listing = _get_json(f"{base}/services?page={page}&per_page={per_page}", timeout)
        for item in listing.get("contents") or []:
            sid = urllib.parse.quote(str(item.get("id")), safe="")
            try:
                yield f"services/{sid}", _get_json(f"{base}/services/{sid}", timeout)
            except (OSError, ValueError) as error:
                yield f"services/{sid}", {"_error": f"could not be fetched ({error})"}
        if listing.get("last_page", True) or page >= int(listing.get("total_pages") or 1):
            break
        page += 1


def import_feed(
    source: str, *, progress: Progress | None = None, timeout: float = 20.0, per_page: int = 50
) -> ImportReport:
    """Import from an ORUK 3.0 base URL or a folder of JSON files in the same shape."""
    folder = Path(source)
    if folder.is_dir():
        records: Iterable[tuple[str, Any]] = _folder_records(folder)
    else:
        records = _feed_records(source, timeout, per_page)
    report = ImportReport()
    good: list[tuple[str, Any]] = []
    for label, data in records:
        if isinstance(data, dict) and "_error" in data:
            report.failed.append((label, data["_error"]))
            if progress:
                progress(f"{label}: failed: {data['_error']}")
        else:
            good.append((label, data))
    rest = _import_all(good, progress)
    rest.failed[:0] = report.failed
    return rest


# CSV -------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "id", "organization_id", "organization_name", "organization_website", "name", "description",
    "status", "url", "email", "minimum_age", "maximum_age", "eligibility_description",
    "assured_date", "alert", "fees", "is_free", "is_national", "in_person", "by_phone", "online",
    "needs", "phones", "languages", "schedules", "service_area", "service_area_kind",
    "location_id", "location_name", "address_1", "city", "county", "postcode", "latitude",
    "longitude",
)  # fmt: skip
TRUE = {"yes", "y", "true", "1"}


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _clock(value: time) -> str:
    return value.strftime("%H:%M" if value.second == 0 else "%H:%M:%S")


_SCHEDULE = re.compile(
    r"^(?:(?P<byday>[A-Za-z]{2}(?:,[A-Za-z]{2})*)\s+(?P<opens_at>\d{1,2}:\d{2}(?::\d{2})?)"
    r"\s*-\s*(?P<closes_at>\d{1,2}:\d{2}(?::\d{2})?))?\s*(?:\((?P<description>[^()]*)\))?$"
)


def _schedule_text(x: Schedule) -> str:
    """ "TU,TH 10:00-12:00", "TU 18:00-20:00 (term time only)" or "(By appointment)"."""
    when = (
        f"{x.byday} {_clock(x.opens_at)}-{_clock(x.closes_at)}"
        if x.byday and x.opens_at is not None and x.closes_at is not None
        else ""
    )
    note = x.description.replace(";", ",").replace("(", "").replace(")", "").strip()
    return " ".join(part for part in (when, f"({note})" if note else "") if part)


def _parse_schedule(text: str) -> dict[str, str]:
    match = _SCHEDULE.match(text.strip())
    if match is None or not any(match.groupdict().values()):
        raise ImportRowError(
            f"schedule {text!r} should look like MO,TU 09:30-16:30 or (By appointment)"
        )
    return {k: v.strip() for k, v in match.groupdict().items() if v}


def _need_code(term: Any) -> str:
    return term.code if term.taxonomy_id == TAXONOMY_ID else str(term.id)


def export_csv(queryset: Iterable[Service] | None = None) -> str:
    """Every listed service, one row each, in the CSV template's columns."""
    services = oruk.services_for_api(Service.objects.listed()).order_by("name", "id")
    rows = io.StringIO()
    writer = csv.DictWriter(rows, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for s in queryset if queryset is not None else services:
        sal = next(iter(s.service_at_locations.all()), None)
        location = sal.location if sal else None
        address = next(iter(location.addresses.all()), None) if location else None
        # One kind for all the row's areas; mixed kinds are left blank and worked out from
        # each name on import.
        kinds = {a.kind for a in s.service_areas.all()}
        writer.writerow(
            {
                "id": s.id, "organization_id": s.organization_id,
                "organization_name": s.organization.name,
                "organization_website": s.organization.website, "name": s.name,
                "description": s.description, "status": s.status, "url": s.url,
                "email": s.email, "minimum_age": s.minimum_age, "maximum_age": s.maximum_age,
                "eligibility_description": s.eligibility_description,
                "assured_date": s.assured_date or "", "alert": s.alert, "fees": s.fees,
                "is_free": _yes(s.is_free), "is_national": _yes(s.is_national),
                "in_person": _yes(s.in_person), "by_phone": _yes(s.by_phone),
                "online": _yes(s.online),
                "needs": ";".join(_need_code(a.taxonomy_term) for a in s.attributes.all()),
                "phones": ";".join(
                    f"{p.number}|{p.description}" if p.description else p.number
                    for p in s.phones.all()
                ),
                "languages": ";".join(f"{x.code}|{x.name}" for x in s.languages.all()),
                "schedules": ";".join(
                    _schedule_text(x) for x in in_week_order(s.schedules.all())
                    if _schedule_text(x)
                ),
                "service_area": ";".join(sorted(a.name for a in s.service_areas.all())),
                "service_area_kind": kinds.pop() if len(kinds) == 1 else "",
                "location_id": location.id if location else "",
                "location_name": location.name if location else "",
                "address_1": address.address_1 if address else "",
                "city": address.city if address else "",
                "county": address.state_province if address else "",
                "postcode": address.postal_code if address else "",
                "latitude": location.latitude if location and location.latitude is not None else "",
                "longitude": location.longitude
                if location and location.longitude is not None
                else "",
            }
        )  # fmt: skip
    return rows.getvalue()


TEMPLATE_EXAMPLE = {
    "id": "1b7f3f8e-5d2a-4c61-9a0e-2f4d6c8b9a01",
    "organization_name": "Example Families Together",
    "organization_website": "https://example.org/",
    "name": "Family support drop-in",
    "description": "Tea, toys and someone to talk to.",
    "status": "active",
    "minimum_age": "",
    "maximum_age": "",
    "eligibility_description": "Anyone with a family member or friend in custody.",
    "assured_date": "2026-11-01",
    "is_free": "yes",
    "is_national": "no",
    "in_person": "yes",
    "by_phone": "yes",
    "online": "no",
    "needs": "visiting-support;peer-support",
    "phones": "01632 960000|Duty worker",
    "languages": "en|English;cy|Welsh",
    "schedules": "MO,WE,FR 09:30-16:30;TH 18:00-20:00 (term time only);(By appointment)",
    "service_area": "Lewes;Wealden",
    "service_area_kind": "local_authority",
    "location_name": "Community hub",
    "address_1": "1 High Street",
    "city": "Lewes",
    "county": "East Sussex",
    "postcode": "BN7 1EA",
}


def csv_template() -> str:
    """The CSV columns with one filled-in example row (needs are taxonomy codes or term ids;
    lists are separated by ";", a phone's or language's parts by "|"; a schedule is
    "MO,TU 09:30-16:30", optionally followed by a note in brackets, or just "(By appointment)";
    service areas are names: local authorities, regions or "England and Wales")."""
    rows = io.StringIO()
    writer = csv.DictWriter(rows, fieldnames=CSV_COLUMNS, restval="")
    writer.writeheader()
    writer.writerow(TEMPLATE_EXAMPLE)
    return rows.getvalue()


def _child_id(service_id: str, *parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(("csv", service_id, *map(str, parts)))))


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _term_ref(code: str) -> str:
    try:
        return str(uuid.UUID(code))
    except ValueError:
        return str(term_id(code))


def row_to_payload(row: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(ORUK service, Homeward columns) from one CSV row. Child ids are derived from the
    service id, so importing the same file twice changes nothing."""
    sid = (row.get("id") or "").strip()
    if not sid:
        raise ImportRowError("the row has no id (a UUID)")
    org_id = (row.get("organization_id") or "").strip() or str(
        uuid.uuid5(NAMESPACE, f"organization:{row.get('organization_name', '')}")
    )
    schedules = [
        {"id": _child_id(sid, "schedule", i), "freq": "WEEKLY"} | _parse_schedule(text)
        for i, text in enumerate(_split(row.get("schedules", "")))
    ]
    payload: dict[str, Any] = {
        "id": sid,
        "name": row.get("name", ""),
        "description": row.get("description", ""),
        "status": row.get("status") or "active",
        "url": row.get("url", ""),
        "email": row.get("email", ""),
        "minimum_age": row.get("minimum_age") or None,
        "maximum_age": row.get("maximum_age") or None,
        "eligibility_description": row.get("eligibility_description", ""),
        "assured_date": row.get("assured_date") or None,
        "alert": row.get("alert", ""),
        "fees": row.get("fees", ""),
        "organization": {
            "id": org_id,
            "name": row.get("organization_name", ""),
            "description": row.get("organization_name", ""),
            "website": row.get("organization_website", ""),
        },
        "attributes": [
            {"id": _child_id(sid, "need", code), "taxonomy_term_id": _term_ref(code)}
            for code in _split(row.get("needs", ""))
        ],
        "phones": [
            {
                "id": _child_id(sid, "phone", i),
                "number": text.split("|", 1)[0],
                "description": text.split("|", 1)[1] if "|" in text else "",
            }
            for i, text in enumerate(_split(row.get("phones", "")))
        ],
        "languages": [
            {
                "id": _child_id(sid, "language", i),
                "code": text.split("|", 1)[0],
                "name": text.split("|", 1)[-1],
            }
            for i, text in enumerate(_split(row.get("languages", "")))
        ],
        "schedules": schedules,
        # Kind blank: worked out from each name (the country, a region, a local authority).
        "service_areas": [
            {
                "id": _child_id(sid, "area", *([i] if i else [])),
                "name": name,
                "extent_type": (row.get("service_area_kind") or "").strip(),
            }
            for i, name in enumerate(_split(row.get("service_area", "")))
        ],
    }
    if row.get("postcode") or row.get("address_1"):
        location_id = (row.get("location_id") or "").strip() or _child_id(sid, "location")
        payload["service_at_locations"] = [
            {
                "id": _child_id(sid, "sal", location_id),
                "location": {
                    "id": location_id,
                    "location_type": "physical",
                    "name": row.get("location_name", ""),
                    "latitude": row.get("latitude") or None,
                    "longitude": row.get("longitude") or None,
                    "addresses": [
                        {
                            "id": _child_id(sid, "address", location_id),
                            "address_1": row.get("address_1", ""),
                            "city": row.get("city", ""),
                            "state_province": row.get("county", ""),
                            "postal_code": row.get("postcode", ""),
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ]
    homeward = {
        key: (row.get(key) or "").strip().lower() in TRUE
        for key in ("is_free", "is_national", "in_person", "by_phone", "online")
        if row.get(key)
    }
    return payload, homeward


def import_csv(text: str, *, progress: Progress | None = None) -> ImportReport:
    """Import the CSV template; row numbers in the report count the header as row 1."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text))
    missing = {"id", "name"} - set(reader.fieldnames or ())
    if missing:
        report.failed.append(("header", f"missing columns: {', '.join(sorted(missing))}"))
        return report
    for number, row in enumerate(reader, start=2):
        label = f"row {number}"
        try:
            payload, homeward = row_to_payload(row)
            service, outcome = save_oruk_service(payload, homeward=homeward)
        except ImportRowError as error:
            report.failed.append((label, str(error)))
            if progress:
                progress(f"{label}: failed: {error}")
            continue
        getattr(report, outcome).append(str(service.pk))
        if progress:
            progress(f"{label}: {outcome} {service.name}")
    return report
