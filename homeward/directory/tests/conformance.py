"""Checking API responses against the official ORUK 3.0 schemas, offline, the way the official
validator does: each response against the validator's compiled schema for that endpoint, and
every list response's paging envelope. The schema files (oruk_schemas/, CC BY-SA 4.0, see its
LICENCE.md) are copies of the upstream ones, unchanged."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).resolve().parent / "oruk_schemas"
MOCKS = SCHEMAS / "mocks"

# What the validator checks each endpoint's response against (validator/<file>).
ENDPOINT_SCHEMAS = {
    "/": "api_details.json",
    "/services": "service_list.json",
    "/services/{id}": "service.json",
    "/service_at_locations": "service_at_location_list.json",
    "/service_at_locations/{id}": "service_at_location.json",
    "/taxonomies": "taxonomy_list.json",
    "/taxonomies/{id}": "taxonomy.json",
    "/taxonomy_terms": "taxonomy_term_list.json",
    "/taxonomy_terms/{id}": "taxonomy_term.json",
}


def _load(path: Path) -> Any:
    return json.loads(path.read_text())


@cache
def registry() -> Registry[Any]:
    """Every entity schema, keyed by its file name (they $ref each other by bare name)."""
    resources = [
        (path.name, Resource.from_contents(_load(path), default_specification=DRAFT202012))
        for path in sorted((SCHEMAS / "entities").glob("*.json"))
    ]
    return Registry().with_resources(resources)


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        _load(SCHEMAS / "validator" / name), registry=registry(), format_checker=FormatChecker()
    )


@cache
def _entity(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        _load(SCHEMAS / "entities" / name), registry=registry(), format_checker=FormatChecker()
    )


@cache
def _page_schema() -> dict[str, Any]:
    """The validator's paging envelope: its `Page` definition, every field required."""
    page = _load(SCHEMAS / "validator" / "service_list.json")["allOf"][0]["Page"]
    return page | {"required": [*page["properties"], "contents"]}


def _messages(validator: Draft202012Validator, instance: Any, where: str) -> list[str]:
    return [
        f"{where} {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


ENTITY_OF_LIST = {
    "/services": "service.json",
    "/service_at_locations": "service_at_location.json",
    "/taxonomies": "taxonomy.json",
    "/taxonomy_terms": "taxonomy_term.json",
}
ENTITY_OF_ITEM = {f"{k}/{{id}}": v for k, v in ENTITY_OF_LIST.items()}


def problems(endpoint: str, body: Any) -> list[str]:
    """Every way `body` breaks the schemas for `endpoint` (an ENDPOINT_SCHEMAS key)."""
    found = _messages(_validator(ENDPOINT_SCHEMAS[endpoint]), body, endpoint)
    if endpoint in ENTITY_OF_LIST:
        found += _messages(Draft202012Validator(_page_schema()), body, f"{endpoint} page")
        for i, item in enumerate(body.get("contents", []) if isinstance(body, dict) else []):
            found += _messages(_entity(ENTITY_OF_LIST[endpoint]), item, f"{endpoint}[{i}]")
    if endpoint in ENTITY_OF_ITEM:
        found += _messages(_entity(ENTITY_OF_ITEM[endpoint]), body, f"{endpoint} entity")
    return found


MOCK_FILES = {
    "/": "api_details.json",
    "/services": "service_list.json",
    "/services/{id}": "service_full.json",
    "/service_at_locations": "service_at_location_list.json",
    "/service_at_locations/{id}": "service_at_location_full.json",
    "/taxonomies": "taxonomy_list.json",
    "/taxonomies/{id}": "taxonomy.json",
    "/taxonomy_terms": "taxonomy_term_list.json",
    "/taxonomy_terms/{id}": "taxonomy_term.json",
}


def mock(kind: str, endpoint: str) -> Any:
    return _load(MOCKS / f"V3.0-UK-{kind}" / MOCK_FILES[endpoint])
