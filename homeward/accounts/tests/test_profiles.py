"""Profiles: who sees which part, pictures (checked, shrunk, stripped, served privately),
editing one's own, the activity list, and data rights."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import sign_in
from homeward.accounts import profiles
from homeward.accounts.models import Profile, Relationship, User, Visibility
from homeward.community import factories as community_factories
from homeward.community import services as community
from homeward.community.models import TrustLevel
from homeward.core import datarights
from homeward.prisons.factories import ensure_prisons
from homeward.prisons.models import Prison


@pytest.fixture(autouse=True)
def _media(tmp_path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def picture(fmt: str = "JPEG", size: tuple[int, int] = (600, 400), *, gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))  # blue, with a red left half
    image.paste((220, 30, 30), (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0112] = 6  # Orientation: turn 90°
        exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "about": "",
        "avatar_visibility": "members",
        "about_visibility": "members",
        "relationship": "",
        "relationship_visibility": "members",
        "prisons_visibility": "members",
    }
    data.update(overrides)
    return data


def set_profile(user: User, **values: object) -> Profile:
    defaults: dict[str, object] = {
        "about": "",
        "relationship": "",
        "prisons": [],
        "avatar_visibility": Visibility.MEMBERS,
        "about_visibility": Visibility.MEMBERS,
        "relationship_visibility": Visibility.MEMBERS,
        "prisons_visibility": Visibility.MEMBERS,
    }
    defaults.update(values)
    return profiles.update_profile(user, **defaults)  # type: ignore[arg-type]


def page(client: Client, user: User) -> str:
    response = client.get(user.profile_url)
    assert response.status_code == 200
    return response.content.decode()


# Who sees what --------------------------------------------------------------------------------


def test_each_part_is_shown_only_to_its_audience(family, trusted_family, client):
    set_profile(
        family,
        about="We grow tomatoes on the allotment.",
        about_visibility=Visibility.EVERYONE,
        relationship=Relationship.PARTNER,
        relationship_visibility=Visibility.MEMBERS,
    )
    visitor = page(client, family)
    assert "We grow tomatoes" in visitor
    assert "My partner" not in visitor
    member = page(sign_in(Client(), trusted_family), family)
    assert "We grow tomatoes" in member
    assert "My partner" in member


def test_only_me_means_only_the_member(family, trusted_family, worker_a):
    set_profile(
        family, relationship=Relationship.SIBLING, relationship_visibility=Visibility.NOBODY
    )
    assert "My brother or sister" in page(sign_in(Client(), family), family)
    assert "My brother or sister" not in page(sign_in(Client(), trusted_family), family)
    assert "My brother or sister" not in page(sign_in(Client(), worker_a), family)


def test_a_visitor_gets_404_when_nothing_is_for_everyone(family, client):
    set_profile(family, about="Members only, please.")
    assert client.get(family.profile_url).status_code == 404
    set_profile(family, about="Hello world.", about_visibility=Visibility.EVERYONE)
    assert client.get(family.profile_url).status_code == 200


def test_unknown_and_erased_members_are_not_found(family, trusted_family):
    client = sign_in(Client(), trusted_family)
    assert client.get("/u/Nobody Here/").status_code == 404
    url = family.profile_url
    datarights.erase_member(family)
    assert client.get(url).status_code == 404


def test_names_are_found_in_any_case(family, trusted_family):
    client = sign_in(Client(), trusted_family)
    assert client.get(f"/u/{family.username.upper()}/").status_code == 200


def test_about_me_is_markdown_made_safe(family, trusted_family):
    set_profile(family, about="**Hi** <script>alert(1)</script> [x](javascript:alert(1))")
    html = page(sign_in(Client(), trusted_family), family)
    assert "<strong>Hi</strong>" in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html


def test_places_are_shown_by_name(family, trusted_family, db):
    ensure_prisons()
    lewes = Prison.objects.get(code="LWI")
    set_profile(family, prisons=[lewes])
    assert lewes.name in page(sign_in(Client(), trusted_family), family)
    set_profile(family, prisons=[lewes], prisons_visibility=Visibility.NOBODY)
    assert lewes.name not in page(sign_in(Client(), trusted_family), family)


# Pictures -------------------------------------------------------------------------------------


def upload(client: Client, data: bytes, name: str = "IMG_2041 at HMP Lewes.jpg", **extra: object):
    return client.post("/settings/profile/", form(avatar=SimpleUploadedFile(name, data), **extra))


def test_a_picture_is_shrunk_turned_and_stripped_of_metadata(family, settings):
    client = sign_in(Client(), family)
    assert upload(client, picture(gps=True)).status_code == 302
    profile = Profile.objects.get(user=family)
    assert "Lewes" not in profile.avatar.name and "IMG" not in profile.avatar.name
    with profile.avatar.open("rb") as f, Image.open(f) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (256, 256)
        assert not stored.getexif()
        # Orientation 6 means "turn a quarter clockwise": the red left half is now on top.
        rgb = stored.convert("RGB")
        top, bottom = rgb.getpixel((128, 20)), rgb.getpixel((128, 235))
        assert isinstance(top, tuple) and isinstance(bottom, tuple)
        assert top[0] > 150 and top[2] < 100
        assert bottom[0] < 100 and bottom[2] > 150
        assert "exif" not in stored.info
    assert not Path(profile.avatar.path).is_relative_to(settings.MEDIA_ROOT)


def test_a_picture_is_served_without_a_file_name_to_its_audience_only(
    family, trusted_family, client
):
    upload(sign_in(Client(), family), picture(), avatar_visibility="members")
    url = f"{family.profile_url}picture/"
    response = sign_in(Client(), trusted_family).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "Content-Disposition" not in response
    assert response.content[:2] == b"\xff\xd8"
    assert client.get(url).status_code == 404
    set_profile(family, avatar_visibility=Visibility.NOBODY)
    assert sign_in(Client(), trusted_family).get(url).status_code == 404
    assert sign_in(Client(), family).get(url).status_code == 200


def test_members_without_a_picture_show_their_initials(family, trusted_family):
    html = page(sign_in(Client(), trusted_family), family)
    assert "avatar--initials" in html
    assert ">RM7<" not in html and ">RM<" in html  # "Robin Mum 7": two initials
    assert sign_in(Client(), trusted_family).get(f"{family.profile_url}picture/").status_code == 404


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"just some words", "notes.jpg", "couldn't open that file as a picture"),
        (b"%PDF-1.4 not a picture", "scan.pdf", "couldn't open that file as a picture"),
        (picture("BMP"), "old.bmp", "JPEG, PNG, WebP or GIF"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "x.svg",
            "couldn't open that file as a picture",
        ),
    ],
)
def test_files_that_are_not_pictures_are_refused_and_the_rest_kept(family, data, name, message):
    response = upload(sign_in(Client(), family), data, name, about="Kept while I fix it")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert "Kept while I fix it" in html
    assert not Profile.objects.filter(user=family).exists()


def test_a_picture_over_5_mb_is_refused(family):
    big = picture() + b"\0" * (5 * 1024 * 1024)
    response = upload(sign_in(Client(), family), big)
    assert "smaller than 5 MB" in response.content.decode()


def test_other_formats_become_jpeg(family):
    client = sign_in(Client(), family)
    for fmt in ("PNG", "WEBP", "GIF"):
        assert upload(client, picture(fmt), f"p.{fmt.lower()}").status_code == 302
        with Profile.objects.get(user=family).avatar.open("rb") as f, Image.open(f) as stored:
            assert stored.format == "JPEG"


def test_a_new_picture_replaces_the_old_file_and_removing_deletes_it(
    family, django_capture_on_commit_callbacks
):
    client = sign_in(Client(), family)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, picture())
    first = Path(Profile.objects.get(user=family).avatar.path)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, picture("PNG"), "again.png")
    second = Path(Profile.objects.get(user=family).avatar.path)
    assert second.exists() and not first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/settings/profile/", form(remove_avatar="on"))
    assert not second.exists()
    assert not Profile.objects.get(user=family).avatar


# Editing ----------------------------------------------------------------------------------------


def test_the_edit_page_keeps_what_was_saved(family):
    client = sign_in(Client(), family)
    response = client.post(
        "/settings/profile/",
        form(about="Hello", relationship="parent", relationship_visibility="nobody"),
    )
    assert response.status_code == 302
    html = client.get("/settings/profile/").content.decode()
    assert "Hello</textarea>" in html
    assert 'value="parent" selected' in html
    assert 'value="nobody" id="id_relationship_visibility_2" checked' in html or (
        'value="nobody"' in html and "checked" in html
    )
    profile = Profile.objects.get(user=family)
    assert profile.relationship_visibility == Visibility.NOBODY


def test_a_double_submit_keeps_one_profile(family):
    client = sign_in(Client(), family)
    client.post("/settings/profile/", form(about="Once"))
    client.post("/settings/profile/", form(about="Once"))
    assert Profile.objects.filter(user=family).count() == 1


def test_wrong_choices_are_refused(family):
    client = sign_in(Client(), family)
    response = client.post("/settings/profile/", form(about_visibility="the world"))
    assert response.status_code == 200
    assert not Profile.objects.filter(user=family).exists()


def test_at_most_three_places(family, db):
    ensure_prisons()
    four = [str(pk) for pk in Prison.objects.open().values_list("pk", flat=True)[:4]]
    client = sign_in(Client(), family)
    response = client.post("/settings/profile/", form(prisons=four))
    assert "Choose up to 3 places." in response.content.decode()
    assert client.post("/settings/profile/", form(prisons=four[:3])).status_code == 302
    assert Profile.objects.get(user=family).prisons.count() == 3


def test_settings_link_to_the_profile(family):
    assert "/settings/profile/" in sign_in(Client(), family).get("/settings/").content.decode()


# Activity ---------------------------------------------------------------------------------------


@pytest.fixture
def visits(db):
    return community_factories.make_category("Visits", slug="visits")


def test_activity_leaves_out_what_the_reader_may_not_read(family, worker_a, worker_b, visits):
    staff_room = community_factories.make_category("Staff room", slug="staff-room", staff_only=True)
    community.create_topic(worker_a, staff_room, title="Rota for December", body="Who's free?")
    community.create_topic(worker_a, visits, title="Open day on Saturday", body="All welcome.")
    seen_by_family = page(sign_in(Client(), family), worker_a)
    assert "Open day on Saturday" in seen_by_family
    assert "Rota for December" not in seen_by_family
    assert "Rota for December" in page(sign_in(Client(), worker_b), worker_a)


def test_activity_links_topics_and_replies(family, trusted_family, visits):
    topic = community.create_topic(family, visits, title="First visit", body="Nervous!")
    community.post_reply(trusted_family, topic, "You'll be fine.")
    html = page(sign_in(Client(), family), trusted_family)
    assert "replied" in html and "First visit" in html


def test_message_authors_link_to_their_profiles(family, trusted_family, visits):
    topic = community.create_topic(family, visits, title="First visit", body="Nervous!")
    html = sign_in(Client(), trusted_family).get(topic.get_absolute_url()).content.decode()
    assert f'href="{family.profile_url}"' in html


def test_the_profile_page_costs_the_same_queries_however_much_activity(
    family, trusted_family, visits, django_assert_max_num_queries
):
    ensure_prisons()
    set_profile(
        family,
        about="Hi",
        relationship=Relationship.PARENT,
        prisons=list(Prison.objects.open()[:3]),
    )
    community_factories.set_trust_level(family, TrustLevel.LEADER)
    client = sign_in(Client(), trusted_family)
    client.get(family.profile_url)
    with django_assert_max_num_queries(8) as few:  # the community's pages' target (issue 3)
        client.get(family.profile_url)
    for n in range(25):
        topic = community.create_topic(family, visits, title=f"Topic {n}", body="Text")
        community.post_reply(family, topic, "More text")
    with django_assert_max_num_queries(len(few)):
        html = page(client, family)
    assert html.count("started the conversation") + html.count("replied") == 20


def test_a_profile_address_is_the_one_reverse_gives():
    """profile_url builds the address without reverse() (every author on a page links one):
    the same address, spaces and apostrophes quoted alike; none once erased."""
    for name in ("Sunflower Mum 0", "O'Neil-Smith_2.", "abc", "a.b  c"):
        assert User(username=name).profile_url == reverse("accounts:profile", args=[name])
    assert User(username="Gone Member", erased_at=timezone.now()).profile_url == ""


# Data rights -------------------------------------------------------------------------------------


def test_export_holds_the_profile(family):
    upload(sign_in(Client(), family), picture())
    set_profile(
        family,
        about="About me text",
        relationship=Relationship.FRIEND,
        relationship_visibility=Visibility.NOBODY,
        avatar_visibility=Visibility.MEMBERS,
    )
    data = datarights.export_member(family)["profile"]
    assert data["about_me"] == "About me text"
    assert data["who_you_support"] == "A friend"
    assert data["who_sees"]["who_you_support"] == "Only me"
    assert data["picture"].startswith("data:image/jpeg;base64,")


def test_erasure_removes_the_profile_and_the_picture(family, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(sign_in(Client(), family), picture())
    path = Path(Profile.objects.get(user=family).avatar.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        datarights.erase_member(family)
    assert not Profile.objects.filter(user=family).exists()
    assert not path.exists()
