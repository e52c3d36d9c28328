"""Pictures in messages: who may add them (level 1 and staff), what is kept of an upload (no
metadata, upright, at most 1600 pixels), what is refused, who may see one, and that a message
refused or removed, a member erased or an edit leaves no picture behind."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.utils import timezone
from PIL import Image

from conftest import sign_in
from homeward.accounts.models import User
from homeward.community import moderation, pictures, services
from homeward.community.models import Category, Post, PostPicture, Topic, WatchedWord
from homeward.community.models.pictures import picture_storage
from homeward.core import datarights

DOG = "My daughter's drawing of our dog"


@pytest.fixture(autouse=True)
def _media(tmp_path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def photo(fmt: str = "JPEG", width: int = 600, height: int = 400, *, gps: bool = False) -> bytes:
    """A picture whose left half is red and right half green, so turning it shows."""
    image = Image.new("RGB", (width, height), (20, 160, 60))
    image.paste((210, 20, 20), (0, 0, width // 2, height))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0112] = 6  # Orientation: the camera was held on its side
        exif[0x8825] = {1: "N", 2: (50.0, 49.0, 30.0), 3: "W", 4: (0.0, 8.0, 10.0)}  # GPS
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def bomb(side: int) -> bytes:
    """A tiny PNG whose header claims side by side pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 4000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def reply(client: Client, topic: Topic, *files: tuple[bytes, str], body: str = "Look at this"):
    data: dict[str, object] = {"body": body}
    for n, (content, description) in enumerate(files, start=1):
        data[f"picture_{n}"] = upload(content)
        data[f"picture_{n}_description"] = description
    return client.post(f"/community/t/{topic.pk}/reply/", data)


def stored_files() -> list[Path]:
    root = Path(picture_storage().location)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def new_picture(description: str = DOG) -> pictures.NewPicture:
    return pictures.NewPicture(photo(), 600, 400, description)


# Who may add pictures ----------------------------------------------------------------------


def test_a_new_member_sees_no_upload_but_when_pictures_open_up(family, topic):
    html = sign_in(Client(), family).get(f"/community/t/{topic.pk}/").content.decode()
    assert 'type="file"' not in html
    assert "You can add pictures once you've spent a little more time reading here" in html
    assert 'href="/community/progress/"' in html


def test_a_new_member_cannot_send_a_picture_anyway(family, topic):
    response = reply(sign_in(Client(), family), topic, (photo(), DOG))
    assert response.status_code == 302  # the reply goes; the file is not even read
    assert not PostPicture.objects.exists()
    assert stored_files() == []
    assert "/community/pictures/" not in Post.objects.get(topic=topic, post_number=2).raw
    with pytest.raises(Http404):
        services.post_reply(family, topic, "Again", pictures=[new_picture()])
    assert not PostPicture.objects.exists()


def test_a_new_member_cannot_name_a_picture_in_markdown(family, topic):
    with pytest.raises(services.PostRefused, match="can't add pictures yet"):
        services.post_reply(family, topic, "![x](/community/pictures/1/)")


@pytest.mark.parametrize("who", ["regular", "worker_a", "peer_moderator"])
def test_level_one_members_and_staff_get_the_upload(request, topic, who):
    user = request.getfixturevalue(who)
    html = sign_in(Client(), user).get(f"/community/t/{topic.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="picture_1"' in html and 'name="picture_4"' in html
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in html
    assert "Add more pictures" in html
    assert "You can add pictures once" not in html


def test_empty_picture_slots_follow_the_settings_they_were_rendered_for(regular, topic, settings):
    # The slots of a form nobody has filled in are rendered once per process (pictures_html):
    # a change of settings must still show.
    client = sign_in(Client(), regular)
    page = f"/community/t/{topic.pk}/"
    assert 'name="picture_4"' in client.get(page).content.decode()
    settings.COMMUNITY_PICTURES_PER_MESSAGE = 2
    settings.COMMUNITY_PICTURE_TYPES = ("PNG",)
    html = client.get(page).content.decode()
    assert 'name="picture_2"' in html and 'name="picture_3"' not in html
    assert 'accept="image/png"' in html and "image/jpeg" not in html


def test_a_problem_with_a_picture_shows_beside_its_slot_not_the_empty_slots(regular, topic):
    client = sign_in(Client(), regular)
    client.get(f"/community/t/{topic.pk}/")  # the empty slots rendered first
    response = reply(client, topic, (photo(), ""))
    html = response.content.decode()
    assert response.status_code == 400  # the form again, with what to fix
    assert "Describe the picture in a few words" in html
    assert "Pictures you chose aren't kept while something needs fixing" in html
    assert '<details class="picture-more" open>' in html


def test_a_level_one_member_adds_a_picture_to_a_reply(regular, topic, settings):
    client = sign_in(Client(), regular)
    response = reply(client, topic, (photo(), DOG))
    assert response.status_code == 302
    picture = PostPicture.objects.get()
    post = Post.objects.get(topic=topic, post_number=2)
    assert picture.post == post and picture.owner == regular
    assert (picture.width, picture.height, picture.description) == (600, 400, DOG)
    url = f"/community/pictures/{picture.pk}/"
    assert post.raw == f"Look at this\n\n![My daughter's drawing of our dog]({url})"
    assert f'<img src="{url}" alt="My daughter\'s drawing of our dog">' in post.cooked
    path = Path(picture.file.path)
    assert path.exists() and not path.is_relative_to(settings.MEDIA_ROOT)
    page = client.get(f"/community/t/{topic.pk}/").content.decode()
    assert f'src="{url}"' in page


def test_a_picture_may_be_the_whole_message(regular, topic):
    """No words needed when a picture says it (its description is its text for those who
    can't see it); with neither, the member is asked for one or the other."""
    client = sign_in(Client(), regular)
    response = reply(client, topic, (photo(), DOG), body="  ")
    assert response.status_code == 302
    post = Post.objects.get(topic=topic, post_number=2)
    url = f"/community/pictures/{PostPicture.objects.get().pk}/"
    assert post.raw == f"![My daughter's drawing of our dog]({url})"
    assert f'src="{url}"' in client.get(f"/community/t/{topic.pk}/").content.decode()
    refused = reply(client, topic, body=" ")
    assert refused.status_code == 400
    assert "Write your message, or add a picture." in refused.content.decode()
    assert topic.posts.count() == 2


def test_a_member_without_pictures_still_needs_words(family, topic):
    response = sign_in(Client(), family).post(f"/community/t/{topic.pk}/reply/", {"body": ""})
    assert response.status_code == 400
    assert "Write your message." in response.content.decode()
    with pytest.raises(services.PostRefused, match="Write your message, or add a picture"):
        services.post_reply(family, topic, "  ")


def test_a_new_conversation_takes_pictures_and_a_poll(regular, visits):
    client = sign_in(Client(), regular)
    response = client.post(
        f"/community/c/{visits.slug}/new/",
        {
            "title": "Our visit day",
            "body": "It went well",
            "picture_1": upload(photo("PNG"), "a.png"),
            "picture_1_description": "The visitors' centre",
            "picture_2": upload(photo("WEBP"), "b.webp"),
            "picture_2_description": "[Our] *garden*",
            "poll_question": "",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(topic__title="Our visit day")
    first, second = post.pictures.order_by("pk")
    assert post.raw.endswith(
        f"![The visitors' centre](/community/pictures/{first.pk}/)\n\n"
        f"![\\[Our\\] \\*garden\\*](/community/pictures/{second.pk}/)"
    )
    assert 'alt="[Our] *garden*"' in post.cooked


def test_a_reply_sent_twice_with_its_picture_is_kept_once(regular, topic):
    client = sign_in(Client(), regular)
    reply(client, topic, (photo(), DOG))
    reply(client, topic, (photo(), DOG))
    assert Post.objects.filter(topic=topic).count() == 2
    assert PostPicture.objects.count() == 1
    assert len(stored_files()) == 1


# What is kept of an upload -----------------------------------------------------------------


def test_location_and_camera_details_are_stripped_and_the_photo_turned_upright(regular, topic):
    original = photo(gps=True)
    with Image.open(io.BytesIO(original)) as sent:
        assert sent.getexif().get_ifd(0x8825)  # the test photo does carry a place
    reply(sign_in(Client(), regular), topic, (original, DOG))
    picture = PostPicture.objects.get()
    data = Path(picture.file.path).read_bytes()
    assert b"PhoneMaker" not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as kept:
        assert kept.format == "JPEG"
        assert not kept.getexif()
        assert kept.size == (400, 600)  # turned as the camera said
        top, bottom = kept.getpixel((200, 50)), kept.getpixel((200, 550))
        assert isinstance(top, tuple) and top[0] > 150  # red now at the top
        assert isinstance(bottom, tuple) and bottom[1] > 120  # green at the bottom
    assert (picture.width, picture.height) == (400, 600)


def test_big_pictures_are_shrunk_and_others_become_jpeg(regular, topic):
    wide = photo("PNG", 3200, 1000)
    gif = io.BytesIO()
    frames = [Image.new("P", (50, 50), 1), Image.new("P", (50, 50), 2)]
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:])
    reply(
        sign_in(Client(), regular), topic, (wide, "A wide view"), (gif.getvalue(), "A moving one")
    )
    shrunk, first_frame = PostPicture.objects.order_by("pk")
    assert (shrunk.width, shrunk.height) == (1600, 500)
    for picture in (shrunk, first_frame):
        with picture.file.open("rb") as f, Image.open(f) as kept:
            assert kept.format == "JPEG" and kept.size == (picture.width, picture.height)


# What is refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some words", "couldn't open that file as a picture"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "couldn't"),
        (photo("BMP"), "Choose a photo or picture (JPEG, PNG, WebP or GIF)."),
        (photo("JPEG", 600, 400)[:200], "couldn't open that file as a picture"),
        (bomb(8_000), "That picture is too big. Choose a smaller one."),  # 64 million pixels
        (bomb(30_000), "That picture is too big. Choose a smaller one."),  # Pillow's own limit
    ],
    ids=["text", "svg", "bmp", "cut-short", "too-many-pixels", "decompression-bomb"],
)
def test_bad_files_are_refused_beside_the_field_with_the_text_kept(
    regular, topic, content, message
):
    response = reply(sign_in(Client(), regular), topic, (content, DOG), body="Kept while I fix it")
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert 'id="id_picture_1_error"><span class="visually-hidden">Error:</span> ' in html
    assert message in html
    assert "Kept while I fix it" in html and DOG in html
    assert "please choose them again" in html
    assert Post.objects.filter(topic=topic).count() == 1
    assert not PostPicture.objects.exists() and stored_files() == []


def test_a_file_over_the_size_limit_is_refused(regular, topic, settings):
    settings.COMMUNITY_PICTURE_MAX_MB = 0.5
    big = photo() + b"\0" * (600 * 1024)
    response = reply(sign_in(Client(), regular), topic, (big, DOG))
    assert "That picture is too big. Choose one smaller than 0.5 MB." in response.content.decode()
    assert not PostPicture.objects.exists()


def test_a_picture_needs_a_description_and_a_description_its_picture(regular, topic):
    client = sign_in(Client(), regular)
    response = reply(client, topic, (photo(), "  "))
    assert "Describe the picture in a few words" in response.content.decode()
    response = client.post(
        f"/community/t/{topic.pk}/reply/", {"body": "Hello", "picture_2_description": DOG}
    )
    html = response.content.decode().replace("&#x27;", "'")
    assert "Choose the picture to go with this description, or clear it." in html
    assert DOG in html
    assert not PostPicture.objects.exists() and Post.objects.filter(topic=topic).count() == 1


def test_at_most_the_set_number_of_pictures(regular, topic, settings):
    settings.COMMUNITY_PICTURES_PER_MESSAGE = 1
    html = sign_in(Client(), regular).get(f"/community/t/{topic.pk}/").content.decode()
    assert 'name="picture_1"' in html and 'name="picture_2"' not in html
    with pytest.raises(Http404):
        services.post_reply(regular, topic, "Two", pictures=[new_picture(), new_picture()])


def test_types_can_be_narrowed_in_settings(regular, topic, settings):
    settings.COMMUNITY_PICTURE_TYPES = ["JPEG"]
    response = reply(sign_in(Client(), regular), topic, (photo("PNG"), DOG))
    assert "Choose a photo or picture (JPEG)." in response.content.decode()


def test_uploads_are_rate_limited_with_the_text_kept(regular, topic, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "community_pictures": "2/h",
        "community_reply_member": "100/5s",
    }
    client = sign_in(Client(), regular)
    assert reply(client, topic, (photo(), "one"), (photo(), "two"), body="First").status_code == 302
    response = reply(client, topic, (photo(), "three"), body="Second")
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert "You've added a lot of pictures in a short time" in html and "Second" in html
    assert PostPicture.objects.count() == 2
    assert reply(client, topic, body="Words only").status_code == 302  # words still go


# Who may see a picture ---------------------------------------------------------------------


def _picture_in(author: User, category: Category) -> PostPicture:
    topic = services.create_topic(
        author, category, title="Pictures from today", body="Here", pictures=[new_picture()]
    )
    return PostPicture.objects.get(post__topic=topic)


def test_the_picture_is_served_privately_to_readers(regular, family, topic):
    services.post_reply(regular, topic, "Look", pictures=[new_picture()])
    picture = PostPicture.objects.get()
    url = f"/community/pictures/{picture.pk}/"
    response = sign_in(Client(), family).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Disposition" not in response
    assert response.content == Path(picture.file.path).read_bytes()
    again = sign_in(Client(), family).get(url, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert Client().get(url, headers={"if-none-match": response["ETag"]}).status_code == 404


def test_nobody_who_cannot_read_the_conversation_gets_the_picture(
    worker_a, regular, family, staff_room
):
    url = f"/community/pictures/{_picture_in(worker_a, staff_room).pk}/"
    assert sign_in(Client(), worker_a).get(url).status_code == 200
    for user in (family, regular):
        assert sign_in(Client(), user).get(url).status_code == 404
    assert Client().get(url).status_code == 404  # anonymous: 404, not a sign-in page
    assert Client().get("/community/pictures/999999/").status_code == 404


def test_a_held_message_shows_its_picture_to_its_author_and_moderators_only(
    regular, family, peer_moderator, visits
):
    WatchedWord.objects.create(word="casino", action=WatchedWord.Action.APPROVAL)
    topic = services.create_topic(
        peer_moderator, visits, title="Visiting times", body="Times are changing"
    )
    post = services.post_reply(regular, topic, "Near the casino", pictures=[new_picture()])
    assert post.awaiting_approval
    url = f"/community/pictures/{post.pictures.get().pk}/"
    assert sign_in(Client(), regular).get(url).status_code == 200
    assert sign_in(Client(), peer_moderator).get(url).status_code == 200
    assert sign_in(Client(), family).get(url).status_code == 404


def test_the_picture_page_costs_a_few_queries(
    regular, family, topic, django_assert_max_num_queries
):
    services.post_reply(regular, topic, "Look", pictures=[new_picture()])
    client = sign_in(Client(), family)
    url = f"/community/pictures/{PostPicture.objects.get().pk}/"
    client.get(url)
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


def test_a_page_of_pictures_with_the_upload_form_stays_within_its_ceiling(
    regular, topic, django_assert_max_num_queries
):
    for n in range(3):
        services.post_reply(regular, topic, f"More {n}", pictures=[new_picture(), new_picture()])
    client = sign_in(Client(), regular)
    client.get(f"/community/t/{topic.pk}/")
    with django_assert_max_num_queries(8):  # a returning reader (test_topic_queries.py)
        html = client.get(f"/community/t/{topic.pk}/").content.decode()
    assert html.count('src="/community/pictures/') == 6 and 'name="picture_1"' in html


# Nothing left behind -----------------------------------------------------------------------


def test_a_refused_message_writes_no_picture(regular, topic):
    WatchedWord.objects.create(word="casino", action=WatchedWord.Action.BLOCK)
    response = reply(sign_in(Client(), regular), topic, (photo(), DOG), body="The casino")
    assert response.status_code == 400
    assert "casino" in response.content.decode()
    assert not PostPicture.objects.exists() and stored_files() == []


def test_files_of_a_rolled_back_message_are_swept_after_an_hour(regular, topic, monkeypatch):
    def fail(*args: object) -> None:
        raise RuntimeError("the database went away")

    services.post_reply(regular, topic, "Kept", pictures=[new_picture()])
    monkeypatch.setattr(moderation, "after_post", fail)
    with pytest.raises(RuntimeError):
        services.post_reply(regular, topic, "Lost", pictures=[new_picture()])
    kept = Path(PostPicture.objects.get().file.path)
    files = stored_files()
    assert len(files) == 2  # the second file was written before the failure
    orphan = next(f for f in files if f != kept)

    assert pictures.sweep_orphans() == 0  # too young: its transaction might still be open
    assert pictures.sweep_orphans(timezone.now() + timedelta(hours=2)) == 1
    assert not orphan.exists() and kept.exists()


def test_removing_a_message_removes_its_pictures(
    regular, peer_moderator, topic, django_capture_on_commit_callbacks
):
    post = services.post_reply(regular, topic, "Look", pictures=[new_picture()])
    path = Path(post.pictures.get().file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_post(peer_moderator, post)
    assert not PostPicture.objects.exists() and not path.exists()


def test_removing_a_conversation_removes_every_picture_in_it(
    regular, peer_moderator, visits, django_capture_on_commit_callbacks
):
    topic = services.create_topic(
        regular, visits, title="Garden day", body="Flowers", pictures=[new_picture()]
    )
    services.post_reply(peer_moderator, topic, "Lovely", pictures=[new_picture()])
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_post(peer_moderator, topic.posts.get(post_number=1))
    assert not PostPicture.objects.exists() and stored_files() == []


def test_an_edit_that_takes_a_picture_out_deletes_it(
    regular, topic, django_capture_on_commit_callbacks
):
    post = services.post_reply(
        regular, topic, "Two", pictures=[new_picture("first"), new_picture("second")]
    )
    first, second = post.pictures.order_by("pk")
    text = post.raw.replace(f"![first](/community/pictures/{first.pk}/)", "")
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_post(regular, post, text)
    assert list(post.pictures.all()) == [second]
    assert not Path(first.file.path).exists() and Path(second.file.path).exists()


def test_export_holds_the_members_pictures(regular, topic):
    services.post_reply(regular, topic, "Look", pictures=[new_picture()])
    exported = datarights.export_member(regular)["community"]["pictures"]
    assert len(exported) == 1
    entry = exported[0]
    assert entry["description"] == DOG
    assert entry["conversation"] == topic.title and entry["message"] == 2
    assert entry["picture"].startswith("data:image/jpeg;base64,")


def test_erasure_removes_the_members_pictures_and_keeps_others(
    regular, peer_moderator, topic, django_capture_on_commit_callbacks
):
    mine = services.post_reply(regular, topic, "Mine", pictures=[new_picture("mine")])
    theirs = services.post_reply(peer_moderator, topic, "Theirs", pictures=[new_picture()])
    path = Path(mine.pictures.get().file.path)
    with django_capture_on_commit_callbacks(execute=True):
        datarights.erase_member(regular)
    mine.refresh_from_db()
    assert not PostPicture.objects.filter(owner=regular).exists() and not path.exists()
    assert mine.raw.strip() == "Mine" and "<img" not in mine.cooked and "Mine" in mine.cooked
    assert theirs.pictures.count() == 1


def test_a_description_is_only_ever_text(regular, topic):
    sneaky = '"><img src=x onerror=alert(1)> ![x](https://elsewhere.example/a.png)'
    post = services.post_reply(regular, topic, "Look", pictures=[new_picture(sneaky)])
    assert post.cooked == (
        '<p>Look</p>\n<p><img src="/community/pictures/1/" alt="&quot;&gt;&lt;img src=x '
        'onerror=alert(1)&gt; ![x](https://elsewhere.example/a.png)"></p>\n'
    ).replace("/1/", f"/{post.pictures.get().pk}/")
    assert PostPicture.objects.get().description == sneaky
