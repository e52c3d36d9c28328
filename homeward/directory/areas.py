"""Local authorities, offline: which authorities a postcode district is in, and names staff type
("Lewes", "East Sussex", "Bristol") resolved to ONS codes. Data in data/local_authorities.csv and
data/outcode_local_authorities.csv (ONS, OGL v3.0; data/README.md says how they were made).

A service's local-authority areas hold ONS GSS codes, lower tier (a district or unitary) or upper
tier (a county). A searcher's district counts as in an authority when at least MIN_SHARE of its
postcodes are: near a boundary Homeward can't tell which side a home is on, so it errs towards
showing a service. There is no region data offline: regions are names only, not matched."""

from __future__ import annotations

import csv
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
MIN_SHARE = 0.02
ONS_URI = "http://statistics.data.gov.uk/id/statistical-geography/"
REGIONS = (
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West", "Wales",
)  # fmt: skip
_CODE = re.compile(r"^[EW]\d{8}$")


@dataclass(frozen=True)
class Authority:
    code: str
    name: str  # as ONS writes it: "Bristol, City of"

    @property
    def label(self) -> str:
        """As people say it: "Bristol"."""
        return re.sub(r", (City|County) of$", "", self.name)


@lru_cache(maxsize=1)
def _lower_tier() -> dict[str, tuple[Authority, Authority]]:
    """Lower-tier code → (the authority, its upper tier)."""
    with (DATA / "local_authorities.csv").open(newline="") as handle:
        return {
            row["code"]: (
                Authority(row["code"], row["name"]),
                Authority(row["upper_tier_code"], row["upper_tier_name"]),
            )
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=1)
def _districts() -> dict[str, list[str]]:
    """Outcode → lower-tier codes holding at least MIN_SHARE of its postcodes, largest first."""
    counts: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with (DATA / "outcode_local_authorities.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            counts[row["outcode"]].append((row["code"], int(row["postcodes"])))
    return {
        outcode: [code for code, n in rows if n >= MIN_SHARE * sum(m for _, m in rows)]
        for outcode, rows in counts.items()
    }


def _key(name: str) -> str:
    """Lower case, "&" as "and", no punctuation, no trailing "council" words."""
    text = re.sub(r"[^a-z0-9 ]+", " ", name.lower().replace("&", " and "))
    text = re.sub(
        r"( (city|county|borough|district|metropolitan))* council$", "", " ".join(text.split())
    )
    return text.strip()


def _aliases(name: str) -> list[str]:
    """ONS writes "Bristol, City of": people write "Bristol" or "City of Bristol"."""
    keys = [_key(name)]
    match = re.match(r"^(.*), (City|County) of$", name)
    if match:
        place, kind = match.group(1), match.group(2).lower()
        keys += [_key(place), _key(f"{kind} of {place}")]
    return keys


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Authority]:
    named: dict[str, Authority] = {}
    for lower, upper in _lower_tier().values():
        for authority in (upper, lower):  # a district wins over a county of the same name
            for key in _aliases(authority.name):
                named[key] = authority
    return named


def authority(code: str) -> Authority | None:
    for lower, upper in _lower_tier().values():
        if code in (lower.code, upper.code):
            return lower if code == lower.code else upper
    return None


def find(name: str) -> Authority | None:
    """The authority a typed name means, or None."""
    text = name.strip()
    if _CODE.match(text.upper()):
        return authority(text.upper())
    return _by_key().get(_key(text))


def suggestions(name: str) -> list[str]:
    """Up to three authorities a mistyped or partial name may mean ("Hull", "Brighten")."""
    key = _key(name)
    if not key:
        return []
    named = _by_key()
    words = {a.label for k, a in named.items() if re.search(rf"\b{re.escape(key)}\b", k)}
    close = {named[k].label for k in difflib.get_close_matches(key, list(named), n=3, cutoff=0.8)}
    return sorted(words | close)[:3]


def for_outcode(outcode: str) -> list[Authority]:
    """The lower-tier authorities a postcode district is in (largest share first)."""
    return [_lower_tier()[c][0] for c in _districts().get(outcode.upper(), [])]


def codes_for_outcode(outcode: str) -> set[str]:
    """Every authority code that covers some of this district: districts and their counties."""
    codes: set[str] = set()
    for code in _districts().get(outcode.upper(), []):
        lower, upper = _lower_tier()[code]
        codes |= {lower.code, upper.code}
    return codes


def uri_for(code: str) -> str:
    return f"{ONS_URI}{code}"


def code_from_uri(uri: str) -> str | None:
    """The ONS code in a statistics.data.gov.uk area URI, if it is one we know."""
    if not uri.startswith((ONS_URI, ONS_URI.replace("http:", "https:"))):
        return None
    code = uri.rstrip("/").rsplit("/", 1)[-1].upper()
    return code if authority(code) is not None else None


def region(name: str) -> str | None:
    wanted = _key(name).replace(" england", "")
    return next((r for r in REGIONS if _key(r) == wanted), None)
