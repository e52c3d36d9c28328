"""Postcodes to positions, offline: a full postcode is reduced to its district (outcode) and
placed at that district's centroid (data/uk_outcodes.csv, ONS, Open Government Licence v3.0).
Distances are great-circle, shown to people as "about N miles"."""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "uk_outcodes.csv"
EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344

# Outward code (district) then an optional inward code (sector + unit), e.g. "BN7 1EA", "bn71ea".
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})?$")
EXAMPLE = "BN7 1EA (or just BN7)"


class PostcodeError(ValueError):
    """A postcode we cannot place, with a message a person can act on."""


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Place:
    """Where a typed postcode was placed: the district it was reduced to, and its centre."""

    postcode: str  # as we understood it, e.g. "BN7 1EA" or "BN7"
    outcode: str
    point: Point


@lru_cache(maxsize=1)
def _centroids() -> dict[str, Point]:
    with DATA.open(newline="") as handle:
        return {
            row["outcode"]: Point(float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


def parse_postcode(raw: str) -> tuple[str, str]:
    """(outcode, tidy postcode) for a UK postcode or district, or PostcodeError."""
    text = re.sub(r"\s+", " ", (raw or "").strip().upper())
    match = _POSTCODE.match(text)
    if not match:
        raise PostcodeError(f"Enter a UK postcode, for example {EXAMPLE}.")
    outcode, inward = match.group(1), match.group(2)
    return outcode, f"{outcode} {inward}" if inward else outcode


def locate(raw: str) -> Place:
    """Place a postcode at its district's centre. Raises PostcodeError with a plain message."""
    outcode, tidy = parse_postcode(raw)
    point = _centroids().get(outcode)
    if point is None:
        raise PostcodeError(
            f"We don't recognise the postcode area {outcode}. Check it, for example {EXAMPLE}."
        )
    return Place(postcode=tidy, outcode=outcode, point=point)


def outcode_point(outcode: str) -> Point | None:
    return _centroids().get(outcode.upper())


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_miles(a: Point, b: Point) -> float:
    return distance_km(a, b) / KM_PER_MILE


def bounding_box(centre: Point, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing the circle: a cheap index-friendly
    prefilter before the exact distance is computed."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(centre.latitude)), 1e-6)
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat))
    return (
        centre.latitude - dlat,
        centre.latitude + dlat,
        centre.longitude - dlon,
        centre.longitude + dlon,
    )


def about_miles(miles: float) -> str:
    """How far, in words a person reads at a glance: "less than a mile", "about 3 miles"."""
    if miles < 1:
        return "less than a mile"
    rounded = round(miles) if miles < 20 else int(round(miles / 5) * 5)
    return f"about {rounded} mile{'s' if rounded != 1 else ''}"
