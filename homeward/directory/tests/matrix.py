"""Permission-matrix entries for the directory and its Open Referral UK API
(merged by homeward/core/tests/matrix.py)."""

from __future__ import annotations

from homeward.core.tests.matrix import NOT_FOUND, PUBLIC, Entry, answers, ceilings

ENTRIES = {
    # The API is public and anonymous; its OpenAPI document and docs page make no queries.
    "oruk:openapi-json": Entry(
        get=PUBLIC, queries=ceilings(anonymous=0, member=4, staff=7, platform_admin=6)
    ),
    "oruk:openapi-view": Entry(
        get=PUBLIC, queries=ceilings(anonymous=0, member=4, staff=7, platform_admin=6)
    ),
    # No operation at the root yet: GET /api/oruk/ arrives with the Directory issue.
    "oruk:api-root": Entry(get=answers(anonymous=NOT_FOUND, members=NOT_FOUND, staff=NOT_FOUND)),
}
