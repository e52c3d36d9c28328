"""Postcode placing and distances, offline."""

from __future__ import annotations

import pytest

from homeward.core import geo


@pytest.mark.parametrize(
    ("typed", "tidy", "outcode"),
    [
        ("BN7 1EA", "BN7 1EA", "BN7"),
        ("bn71ea", "BN7 1EA", "BN7"),
        ("  sw1a   1aa ", "SW1A 1AA", "SW1A"),
        ("BN7", "BN7", "BN7"),
        ("l9 7lh", "L9 7LH", "L9"),
        ("CF10", "CF10", "CF10"),
    ],
)
def test_postcodes_are_reduced_to_their_district(typed, tidy, outcode):
    place = geo.locate(typed)
    assert place.postcode == tidy
    assert place.outcode == outcode


@pytest.mark.parametrize("typed", ["", "hello", "12345", "BN7 1E", "ZZ99 9ZZ!", "B N 7"])
def test_malformed_postcodes_get_a_message_with_an_example(typed):
    with pytest.raises(geo.PostcodeError, match="for example BN7 1EA"):
        geo.locate(typed)


def test_unknown_district_is_named_in_the_message():
    with pytest.raises(geo.PostcodeError, match="QQ1"):
        geo.locate("QQ1 1AA")


def test_known_centroids_are_where_the_ons_puts_them():
    # Spot checks from the data's provenance notes.
    assert geo.distance_km(geo.locate("SW1A 1AA").point, geo.Point(51.502, -0.134)) < 0.5
    assert geo.distance_km(geo.locate("CF10").point, geo.Point(51.474, -3.177)) < 0.5


def test_distances_are_great_circle():
    london = geo.locate("SW1A").point
    cardiff = geo.locate("CF10").point
    # London to Cardiff is about 210 km as the crow flies.
    assert 200 < geo.distance_km(london, cardiff) < 220
    assert geo.distance_miles(london, cardiff) == pytest.approx(
        geo.distance_km(london, cardiff) / 1.609344
    )
    assert geo.distance_km(london, london) == 0


def test_bounding_box_contains_the_circle():
    centre = geo.locate("BN7").point
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(centre, 10)
    for bearing_point in [
        geo.Point(centre.latitude + 0.089, centre.longitude),
        geo.Point(centre.latitude, centre.longitude + 0.14),
    ]:
        if geo.distance_km(centre, bearing_point) <= 10:
            assert min_lat <= bearing_point.latitude <= max_lat
            assert min_lon <= bearing_point.longitude <= max_lon
    assert max_lat - min_lat == pytest.approx(2 * 10 / 111.2, rel=0.01)


@pytest.mark.parametrize(
    ("miles", "words"),
    [
        (0.3, "less than a mile"),
        (1.2, "about 1 mile"),
        (2.6, "about 3 miles"),
        (47, "about 45 miles"),
    ],
)
def test_distances_read_as_words(miles, words):
    assert geo.about_miles(miles) == words
