"""Pictures in messages: from trust level 1, and for moderators and staff at once (new members'
limits keep pictures out until then). Each comes with a description (its alt text, for people
who can't see it) and sits in the message's markdown as ![description](/community/pictures/<id>/),
an address on this site, so core.markdown keeps it. Only readers of the message get it.

Nothing is written while a form is checked: `process` decodes the upload and re-encodes it
(core.images: no metadata, the right way up, at most COMMUNITY_PICTURE_MAX_SIDE pixels). The
message's service then stores its pictures in the message's own transaction: `prepare` makes the
rows (their ids go into the markdown) before the text is screened, and `Prepared.save` writes the
files once the message exists, so a refused message writes no file. A file whose transaction
still rolled back afterwards is named by no row: `sweep_orphans` (hourly) deletes it."""

from __future__ import annotations

import base64
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from PIL import Image

from homeward.accounts.policies import is_moderator
from homeward.community import conf, policies
from homeward.community.models import Post, PostPicture
from homeward.community.models.pictures import picture_storage
from homeward.core import images, ratelimit, search

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.core.files.uploadedfile import UploadedFile

    from homeward.accounts.models import User

log = logging.getLogger("homeward.community.pictures")

RATE = "community_pictures"  # settings.RATE_LIMITS: pictures checked per member
ORPHAN_AGE = timedelta(hours=1)  # older than any transaction that could still name the file
URL = "/community/pictures/{}/"
# ![description](/community/pictures/12/) in a message's markdown, and <img> in its HTML.
_MARKDOWN = re.compile(r"!\[(?:\\.|[^\]\\])*\]\(/community/pictures/(\d+)/\)")
_HTML = re.compile(r'<img[^>]*\ssrc="/community/pictures/(\d+)/"[^>]*>')
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")
_PUNCTUATION = re.compile(r"([\\\[\]*_`&])")  # what markdown would read in a description


@dataclass(frozen=True)
class NewPicture:
    """An upload, checked and re-encoded, not yet stored."""

    data: bytes
    width: int
    height: int
    description: str


def allowed(user: User | AnonymousUser) -> bool:
    return policies.can_add_pictures(user)


def process(upload: UploadedFile, description: str) -> NewPicture:
    """The picture to keep, or images.PictureProblem with a message for the member."""
    side = conf.picture_max_side()
    upright = images.open_upright(
        upload,
        max_bytes=conf.picture_max_bytes(),
        formats=conf.picture_types(),
        fit_within=side,
    )
    upright.thumbnail((side, side), Image.Resampling.LANCZOS)  # only ever shrinks
    return NewPicture(images.jpeg_bytes(upright), upright.width, upright.height, description)


def hint() -> str:
    """What may be uploaded, for the form."""
    count = conf.pictures_per_message()
    return (
        f"{images.type_names(conf.picture_types())}, up to "
        f"{images.megabytes(conf.picture_max_bytes())} each, {count} at most. We keep a copy "
        "without the hidden details a photo can carry, like where and when it was taken. "
        "Only people who can read this conversation can see it."
    )


# Rate limit: decoding a picture is the costly part, so every picture checked counts. ---------


def upload_wait(user: User) -> str | None:
    """None while the member may add pictures; otherwise when they can again."""
    left = ratelimit.used_up(RATE, f"user:{user.pk}")
    if not left:
        return None
    minutes = max(1, round(left / 60))
    return (
        "You've added a lot of pictures in a short time. You can add more in about "
        f"{minutes} minute{'s' if minutes != 1 else ''}. What you wrote is still here."
    )


def count_uploads(user: User, count: int) -> None:
    for _ in range(count):
        ratelimit.hit(RATE, f"user:{user.pk}")


# The markdown ------------------------------------------------------------------------------


def _alt(description: str) -> str:
    """The description on one line, with what markdown would read in it escaped."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(description.split()))


def compose(raw: str, descriptions: Sequence[str], ids: Sequence[int] | None = None) -> str:
    """The message's markdown with its pictures after the text, one to a paragraph."""
    numbers = list(ids) if ids is not None else [0] * len(descriptions)
    lines = [f"![{_alt(d)}]({URL.format(n)})" for d, n in zip(descriptions, numbers, strict=True)]
    return "\n\n".join([raw, *lines] if raw else lines) if lines else raw


def same_text(a: str, b: str) -> bool:
    """Whether two messages say the same with the same pictures (whatever their ids): a
    message sent twice, once stored, once composed with `compose` and no ids."""
    return _numbered(a) == _numbered(b)


def _numbered(raw: str) -> str:
    return _MARKDOWN.sub(lambda m: m.group(0)[: m.start(1) - m.start()] + "0/)", raw)


# Storing with a message --------------------------------------------------------------------


@dataclass
class Prepared:
    """Rows made in the message's transaction, whose files are written by `save`."""

    pending: list[tuple[PostPicture, bytes]] = field(default_factory=list)

    def save(self, post: Post) -> None:
        """Write the files and give the rows their message (in the message's transaction)."""
        if not self.pending:
            return
        for picture, data in self.pending:
            name = str(picture.file.name)
            stored = picture.file.storage.save(name, ContentFile(data))
            if stored != name:  # a random name is never taken; just in case
                PostPicture.objects.filter(pk=picture.pk).update(file=stored)
        PostPicture.objects.filter(pk__in=[p.pk for p, _ in self.pending]).update(post=post)


def prepare(author: User, raw: str, new: Sequence[NewPicture]) -> tuple[str, Prepared]:
    """The message's markdown naming its pictures, and their rows (not yet with files)."""
    if not new:
        return raw, Prepared()
    if not allowed(author) or len(new) > conf.pictures_per_message():
        raise Http404  # the form offers no more than this member may add
    folder = timezone.localdate().isoformat()
    rows = PostPicture.objects.bulk_create(  # ids come back on SQLite and PostgreSQL
        [
            PostPicture(
                owner=author,
                file=f"{folder}/{uuid4().hex}.jpg",
                width=p.width,
                height=p.height,
                description=p.description,
            )
            for p in new
        ]
    )
    markdown = compose(raw, [p.description for p in new], [row.pk for row in rows])
    return markdown, Prepared([(row, p.data) for row, p in zip(rows, new, strict=True)])


# Reading -----------------------------------------------------------------------------------


def get_picture_for(user: User | AnonymousUser, pk: int) -> PostPicture:
    """A picture in a message this person may read, else 404 (as for one that doesn't exist):
    live message and conversation, a category they may read, and, while the message is hidden
    or waiting for approval, only its author and moderators."""
    picture = (
        PostPicture.objects.select_related("post__topic__category")
        .filter(pk=pk, post__isnull=False)
        .first()
    )
    if picture is None or picture.post is None:
        raise Http404
    post = picture.post
    topic = post.topic
    if post.is_deleted or topic.deleted_at is not None:
        raise Http404
    if not policies.can_read(user, topic.category):
        raise Http404
    held = topic.awaiting_approval or post.awaiting_approval or post.is_hidden
    if held and post.author_id != user.pk and not is_moderator(user):
        raise Http404
    return picture


# Removing ----------------------------------------------------------------------------------


def _delete(pictures: Iterable[PostPicture]) -> int:
    """Delete the rows now and their files once the transaction commits."""
    rows = list(pictures)
    if not rows:
        return 0
    names = [p.file.name for p in rows]
    storage = rows[0].file.storage
    PostPicture.objects.filter(pk__in=[p.pk for p in rows]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return len(rows)


def remove_for(post: Post) -> None:
    """A message is removed: so are its pictures (the first message removes the conversation,
    and with it every picture in it)."""
    where = Q(post__topic_id=post.topic_id) if post.post_number == 1 else Q(post=post)
    _delete(PostPicture.objects.filter(where).only("pk", "file"))


def forget_unused(post: Post) -> None:
    """After an edit: pictures the message no longer shows are deleted."""
    shown = {int(n) for n in _MARKDOWN.findall(post.raw)}
    _delete(PostPicture.objects.filter(post=post).exclude(pk__in=shown).only("pk", "file"))


def sweep_orphans(now: datetime | None = None) -> int:
    """Delete picture files that no row names (their message's transaction rolled back), once
    they are older than ORPHAN_AGE. Only the folders of the last two days are read: files are
    kept in a folder per day, and other removals delete their files themselves."""
    now = now or timezone.now()
    storage = picture_storage()
    deleted = 0
    for day in (timezone.localdate(now), timezone.localdate(now) - timedelta(days=1)):
        folder = day.isoformat()
        if not storage.exists(folder):
            continue
        names = [f"{folder}/{name}" for name in storage.listdir(folder)[1]]
        named = set(PostPicture.objects.filter(file__in=names).values_list("file", flat=True))
        for name in names:
            if name in named:
                continue
            written = datetime.fromtimestamp(os.path.getmtime(storage.path(name)), tz=now.tzinfo)
            if now - written >= ORPHAN_AGE:
                storage.delete(name)
                deleted += 1
    if deleted:
        log.info("deleted %d picture files no message kept", deleted)
    return deleted


# Data rights -------------------------------------------------------------------------------


def export_for(user: User) -> dict[str, Any]:
    """The member's pictures, each as a data: address a browser shows, with where it is."""
    pictures = []
    for p in PostPicture.objects.filter(owner=user).select_related("post__topic").order_by("pk"):
        try:
            with p.file.open("rb") as f:
                data = "data:image/jpeg;base64," + base64.b64encode(f.read()).decode()
        except FileNotFoundError:
            data = None
        pictures.append(
            {
                "description": p.description,
                "conversation": p.post.topic.title if p.post else None,
                "message": p.post.post_number if p.post else None,
                "added": p.created_at.isoformat(),
                "picture": data,
            }
        )
    return {"pictures": pictures}


def erase_for(user: User) -> None:
    """Their pictures go, files included; their messages stay without them."""
    pictures = list(PostPicture.objects.filter(owner=user).only("pk", "file", "post_id"))
    gone: dict[int, set[str]] = {}
    for p in pictures:
        if p.post_id is not None:
            gone.setdefault(p.post_id, set()).add(str(p.pk))
    _delete(pictures)
    for post in Post.objects.filter(pk__in=gone).select_related("topic"):
        post.raw = _drop(_MARKDOWN, post.raw, gone[post.pk]).rstrip()
        post.cooked = _EMPTY_PARAGRAPH.sub("", _drop(_HTML, post.cooked, gone[post.pk]))
        post.save(update_fields=["raw", "cooked"])
        search.index(post)


def _drop(pattern: re.Pattern[str], text: str, ids: set[str]) -> str:
    """The text without the pictures `pattern` finds whose ids are in `ids`."""
    return pattern.sub(lambda m: "" if m.group(1) in ids else m.group(0), text)
