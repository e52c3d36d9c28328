"""Which region of England (or Wales) an establishment is in, from its county, its country or,
failing both, its postcode area. Used to browse the list by region."""

from __future__ import annotations

import re

from homeward.prisons.models import Region

COUNTY_REGION: dict[str, Region] = {
    # North East
    "county durham": Region.NORTH_EAST,
    "durham": Region.NORTH_EAST,
    "northumberland": Region.NORTH_EAST,
    "tyne and wear": Region.NORTH_EAST,
    # North West
    "cheshire": Region.NORTH_WEST,
    "cumbria": Region.NORTH_WEST,
    "greater manchester": Region.NORTH_WEST,
    "lancashire": Region.NORTH_WEST,
    "merseyside": Region.NORTH_WEST,
    # Yorkshire and the Humber
    "east riding of yorkshire": Region.YORKSHIRE,
    "east yorkshire": Region.YORKSHIRE,
    "north yorkshire": Region.YORKSHIRE,
    "south yorkshire": Region.YORKSHIRE,
    "west yorkshire": Region.YORKSHIRE,
    "north lincolnshire": Region.YORKSHIRE,
    "north east lincolnshire": Region.YORKSHIRE,
    # East Midlands
    "derbyshire": Region.EAST_MIDLANDS,
    "leicestershire": Region.EAST_MIDLANDS,
    "lincolnshire": Region.EAST_MIDLANDS,
    "northamptonshire": Region.EAST_MIDLANDS,
    "nottingham": Region.EAST_MIDLANDS,
    "nottinghamshire": Region.EAST_MIDLANDS,
    "rutland": Region.EAST_MIDLANDS,
    # West Midlands
    "herefordshire": Region.WEST_MIDLANDS,
    "shropshire": Region.WEST_MIDLANDS,
    "staffordshire": Region.WEST_MIDLANDS,
    "warwickshire": Region.WEST_MIDLANDS,
    "west midlands": Region.WEST_MIDLANDS,
    "worcestershire": Region.WEST_MIDLANDS,
    # East of England
    "bedfordshire": Region.EAST,
    "cambridgeshire": Region.EAST,
    "essex": Region.EAST,
    "hertfordshire": Region.EAST,
    "norfolk": Region.EAST,
    "suffolk": Region.EAST,
    # London
    "greater london": Region.LONDON,
    "london": Region.LONDON,
    # South East
    "berkshire": Region.SOUTH_EAST,
    "buckinghamshire": Region.SOUTH_EAST,
    "east sussex": Region.SOUTH_EAST,
    "hampshire": Region.SOUTH_EAST,
    "isle of wight": Region.SOUTH_EAST,
    "kent": Region.SOUTH_EAST,
    "oxfordshire": Region.SOUTH_EAST,
    "surrey": Region.SOUTH_EAST,
    "west sussex": Region.SOUTH_EAST,
    # South West
    "bristol": Region.SOUTH_WEST,
    "cornwall": Region.SOUTH_WEST,
    "devon": Region.SOUTH_WEST,
    "dorset": Region.SOUTH_WEST,
    "gloucestershire": Region.SOUTH_WEST,
    "somerset": Region.SOUTH_WEST,
    "wiltshire": Region.SOUTH_WEST,
    # Wales (the register sometimes gives a county, sometimes an area)
    "monmouthshire": Region.WALES,
    "south wales": Region.WALES,
    "north wales": Region.WALES,
}

LONDON_AREAS = (
    "E", "EC", "N", "NW", "SE", "SW", "W", "WC", "BR", "CR", "DA", "EN", "HA", "IG", "KT", "RM",
    "SM", "TW", "UB",
)  # fmt: skip

# Postcode areas whose districts lie (almost) wholly in one region: the fallback for records
# with no county. Areas that straddle a border are left out rather than guessed.
AREA_REGION: dict[str, Region] = {
    **dict.fromkeys(("DH", "DL", "NE", "SR", "TS"), Region.NORTH_EAST),
    **dict.fromkeys(
        ("BB", "BL", "CA", "CH", "CW", "FY", "L", "LA", "M", "OL", "PR", "SK", "WA", "WN"),
        Region.NORTH_WEST,
    ),
    **dict.fromkeys(("BD", "DN", "HD", "HG", "HU", "HX", "LS", "S", "WF", "YO"), Region.YORKSHIRE),
    **dict.fromkeys(("DE", "LE", "LN", "NG", "NN"), Region.EAST_MIDLANDS),
    **dict.fromkeys(("B", "CV", "DY", "HR", "ST", "TF", "WR", "WS", "WV"), Region.WEST_MIDLANDS),
    **dict.fromkeys(("AL", "CB", "CM", "CO", "IP", "LU", "NR", "PE", "SG", "SS"), Region.EAST),
    **dict.fromkeys(LONDON_AREAS, Region.LONDON),
    **dict.fromkeys(
        ("BN", "CT", "GU", "HP", "ME", "MK", "OX", "PO", "RG", "RH", "SL", "SO", "TN"),
        Region.SOUTH_EAST,
    ),
    **dict.fromkeys(
        ("BA", "BH", "BS", "DT", "EX", "GL", "PL", "SN", "SP", "TA", "TQ", "TR"),
        Region.SOUTH_WEST,
    ),
    **dict.fromkeys(("CF", "LL", "NP", "SA", "LD"), Region.WALES),
}

_AREA = re.compile(r"^([A-Z]{1,2})\d")


def region_for(*, county: str, country: str, postcode: str) -> str:
    """The region's value ("south-east"), or "" when the record says too little to tell."""
    if country.strip().lower() == "wales":
        return Region.WALES.value
    region = COUNTY_REGION.get(county.strip().lower())
    if region is not None:
        return region.value
    match = _AREA.match(postcode.strip().upper())
    if match:
        area_region = AREA_REGION.get(match.group(1))
        if area_region is not None:
            return area_region.value
    return ""
