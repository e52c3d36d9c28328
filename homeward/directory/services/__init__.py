"""Every write to the directory: the taxonomy, services (from a form, an ORUK feed or the seed
data), the "assured on" reminders and requests for support. Views, commands and tests call
these; nothing else writes the directory's tables."""

from homeward.directory.services.listings import (
    PLATFORM_ORGANIZATION_ID,
    create_listing,
    listing_for_edit,
    listing_initial,
    listing_schedules,
    mark_assured,
    owners_of,
    remind_stale,
    request_support,
    save_listing,
    term_ids,
)
from homeward.directory.services.records import ImportRowError, save_oruk_service, seed_taxonomy

__all__ = [
    "PLATFORM_ORGANIZATION_ID",
    "ImportRowError",
    "create_listing",
    "listing_for_edit",
    "listing_initial",
    "listing_schedules",
    "mark_assured",
    "owners_of",
    "remind_stale",
    "request_support",
    "save_listing",
    "save_oruk_service",
    "seed_taxonomy",
    "term_ids",
]
