from __future__ import annotations

import json
from pathlib import Path

import pytest

from homeward.directory import factories, services
from homeward.directory.models import Service

EXAMPLES = Path(__file__).resolve().parent / "oruk_examples"


@pytest.fixture
def listings(db) -> list[Service]:
    """The real national services, 14 demo local ones (seeded, so always the same) and the
    ORUK example service (which brings a second taxonomy)."""
    national = factories.seed_national_services()
    factories.seed_demo_services(14)
    services.save_oruk_service(json.loads((EXAMPLES / "service_full.json").read_text()))
    return national
