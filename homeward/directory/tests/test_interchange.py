"""Import from ORUK feeds (a folder, and a base URL served locally) and the CSV template:
idempotent, per-row reports, no half-saved services, and an export → import round trip."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command

from homeward.directory import factories
from homeward.directory.interchange import (
    CSV_COLUMNS,
    TEMPLATE_EXAMPLE,
    export_csv,
    import_csv,
    import_feed,
    row_to_payload,
)
from homeward.directory.models import (
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from homeward.directory.services import ImportRowError
from homeward.directory.tests.conftest import EXAMPLES

EXAMPLE_ID = "ac148810-d857-441c-9679-408f346de14b"


def test_folder_of_oruk_examples_imports_once_and_again_changes_nothing(db) -> None:
    lines: list[str] = []
    first = import_feed(str(EXAMPLES), progress=lines.append)
    assert first.created == [EXAMPLE_ID] and not first.failed
    assert any("created Community Counselling" in line for line in lines)
    service = Service.objects.get(pk=EXAMPLE_ID)
    assert service.schedules.get().byday == "TH,FR"
    assert service.service_at_locations.get().location.addresses.get().postal_code == "ABC 1234"
    counts = (Service.objects.count(), Schedule.objects.count(), Address.objects.count())
    again = import_feed(str(EXAMPLES))
    assert again.unchanged == [EXAMPLE_ID] and not again.created and not again.updated
    assert (Service.objects.count(), Schedule.objects.count(), Address.objects.count()) == counts


def test_a_bad_record_is_reported_and_leaves_nothing_behind(db, tmp_path) -> None:
    good = json.loads((EXAMPLES / "service_full.json").read_text())
    bad = json.loads(json.dumps(good))
    bad |= {"id": "2b9b0bf0-0000-4000-8000-000000000001", "name": "Half a service"}
    bad["organization"]["id"] = "2b9b0bf0-0000-4000-8000-000000000002"
    bad["schedules"][0]["opens_at"] = "half past nine"  # fails after the service is saved
    (tmp_path / "good.json").write_text(json.dumps(good))
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    (tmp_path / "broken.json").write_text("{not json")
    report = import_feed(str(tmp_path))
    assert report.created == [EXAMPLE_ID]
    reasons = dict(report.failed)
    assert "opens_at" in reasons["bad.json"]
    assert "not readable JSON" in reasons["broken.json"]
    assert not Service.objects.filter(name="Half a service").exists()
    assert not Organization.objects.filter(pk="2b9b0bf0-0000-4000-8000-000000000002").exists()


class _Feed(BaseHTTPRequestHandler):
    """A stand-in for another directory's ORUK API, answering from the shared examples."""

    def do_GET(self) -> None:
        path = self.path.split("?")[0].rstrip("/")
        if path.endswith("/services"):
            body: Any = json.loads((EXAMPLES / "service_list.json").read_text())
            body |= {"total_pages": 1, "last_page": True}
        elif path.endswith(f"/services/{EXAMPLE_ID}"):
            body = json.loads((EXAMPLES / "service_full.json").read_text())
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def feed_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()


def test_a_base_url_feed_imports_through_the_command(db, feed_url, capsys) -> None:
    call_command("import_oruk", feed_url)
    out = capsys.readouterr().out
    assert "1 created, 0 updated, 0 unchanged, 0 failed" in out
    assert Service.objects.get(pk=EXAMPLE_ID).name == "Community Counselling"
    call_command("import_oruk", feed_url)
    assert "0 created, 0 updated, 1 unchanged, 0 failed" in capsys.readouterr().out


def _snapshot() -> list[tuple[Any, ...]]:
    """What a person would call "the same services", whatever the child records' ids."""
    rows = []
    for s in Service.objects.prefetch_related(
        "phones", "languages", "schedules", "attributes__taxonomy_term",
        "service_at_locations__location__addresses",
    ).order_by("id"):  # fmt: skip
        sal = s.service_at_locations.first()
        address = sal.location.addresses.first() if sal else None
        rows.append(
            (
                str(s.id), s.name, s.description, s.status, s.organization.name,
                s.minimum_age, s.maximum_age, s.assured_date, s.is_national, s.in_person,
                s.by_phone, s.online, s.is_free,
                sorted(p.number for p in s.phones.all()),
                sorted(x.code for x in s.languages.all()),
                sorted((x.byday, x.opens_at, x.closes_at) for x in s.schedules.all()),
                sorted(a.taxonomy_term.code for a in s.attributes.all()),
                (sal.location.latitude, sal.location.longitude) if sal else None,
                (address.address_1, address.city, address.postal_code) if address else None,
            )
        )  # fmt: skip
    return rows


def _wipe() -> None:
    Service.objects.all().delete()
    ServiceAtLocation.objects.all().delete()
    Location.objects.all().delete()
    Organization.objects.all().delete()


def test_csv_export_then_import_elsewhere_gives_the_same_services(db, tmp_path, capsys) -> None:
    factories.seed_national_services()
    factories.seed_demo_services(12)
    before = _snapshot()
    path = tmp_path / "directory.csv"
    call_command("directory_csv", "export", str(path))
    assert path.read_text().splitlines()[0] == ",".join(CSV_COLUMNS)
    _wipe()  # "elsewhere": an empty directory
    call_command("directory_csv", "import", str(path))
    assert f"{len(before)} created, 0 updated, 0 unchanged, 0 failed" in capsys.readouterr().out
    assert _snapshot() == before
    phones = Phone.objects.count()
    report = import_csv(path.read_text())
    assert len(report.unchanged) == len(before) and not report.created and not report.updated
    assert Phone.objects.count() == phones


def test_bad_csv_rows_are_reported_by_row_and_the_rest_imported(db) -> None:
    factories.seed_national_services()
    text = export_csv()
    lines = text.splitlines()
    header, first, second = lines[0], lines[1], lines[2]
    broken = second.replace(",active,", ",sometimes,")
    _wipe()
    report = import_csv("\n".join([header, first, broken, "not-a-uuid,Nameless"]) + "\n")
    assert len(report.created) == 1
    reasons = dict(report.failed)
    assert "status 'sometimes'" in reasons["row 3"]
    assert "UUID" in reasons["row 4"]
    assert Service.objects.count() == 1


def test_csv_without_the_needed_columns_is_refused(db) -> None:
    report = import_csv("title,phone\nHelp,0800\n")
    assert report.failed == [("header", "missing columns: id, name")]


def test_examples_folder_is_a_copy_we_can_use(tmp_path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "feed")
    assert (tmp_path / "feed" / "service_full.json").exists()


def test_the_csv_template_example_imports(db, tmp_path, capsys) -> None:
    path = tmp_path / "template.csv"
    call_command("directory_csv", "template", str(path))
    call_command("directory_csv", "import", str(path))
    assert "1 created, 0 updated, 0 unchanged, 0 failed" in capsys.readouterr().out
    service = Service.objects.get(name="Family support drop-in")
    assert sorted(service.schedules.values_list("byday", "description")) == [
        ("", "By appointment"), ("MO,WE,FR", ""), ("TH", "term time only"),
    ]  # fmt: skip
    assert sorted(service.languages.values_list("code", flat=True)) == ["cy", "en"]
    assert service.service_at_locations.get().location.outcode == "BN7"


def test_a_changed_record_is_updated_and_an_unchanged_one_writes_nothing(db, tmp_path) -> None:
    from homeward.core.models import AuditEvent
    from homeward.directory.services import save_oruk_service

    record = json.loads((EXAMPLES / "service_full.json").read_text())
    service, outcome = save_oruk_service(record)
    assert outcome == "created"
    events = AuditEvent.objects.count()

    assert save_oruk_service(record)[1] == "unchanged"
    assert AuditEvent.objects.count() == events  # nothing written, nothing logged

    record["name"] = "Community Counselling (renamed)"
    service, outcome = save_oruk_service(record)
    assert outcome == "updated"
    assert Service.objects.get(pk=service.pk).name == "Community Counselling (renamed)"


@pytest.mark.parametrize("text", ["MO 9-5", "MO,TU", "(unclosed", "MO 09:00-10:00 extra"])
def test_a_schedule_the_csv_cannot_read_is_reported_with_an_example(db, text) -> None:
    row = dict(TEMPLATE_EXAMPLE) | {"schedules": text}
    with pytest.raises(ImportRowError, match=r"should look like MO,TU 09:30-16:30"):
        row_to_payload(row)
