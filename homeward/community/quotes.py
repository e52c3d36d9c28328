"""Quoting another message in a reply (after Discourse's quotes, in plain Markdown).

"Quote" under a message opens the reply form with that message's text as a blockquote,
shortened, after a line naming its writer and linking to it:

    [Robin Mum 7](/community/p/345/) wrote:
    > Your ID, and a pound coin for the locker.

The link is the message's lasting address (/community/p/<id>/ finds it wherever it is now,
after a split or on a later page). When the reply is published, the writer of each message it
quotes is told that they were quoted. Who was quoted is read from that link's message id,
never from the name or the words, which the member may change as they like; and only a line
like that at the top of the reply, followed straight by a blockquote, counts (not one in a code
block, a list, or inside another quote)."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from markdown_it.token import Token

from homeward.accounts.models import User
from homeward.accounts.policies import is_moderator
from homeward.community import policies
from homeward.community.models import Post
from homeward.core.markdown import tokens
from homeward.core.notifications import notify

QUOTE_CHARS = 600  # how much of a message a quote starts with; the member may cut it further
MAX_QUOTES = 10  # quoted writers told about one reply
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_QUOTE_LINE = re.compile(r"^ {0,3}>")
_ATTRIBUTION_LINE = re.compile(r"^\[.*\]\([^)]*\) wrote:\s*$")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


@cache
def _permalink() -> re.Pattern[str]:
    example = reverse("community:post", args=[1])  # "/community/p/1/"
    return re.compile(rf"{re.escape(example[: example.rindex('1/')])}(\d+)/")


def get_quotable_for(user: User, pk: int) -> Post:
    """A message this member may quote: one everyone in the conversation can read (not removed,
    hidden, or waiting for a moderator), in a conversation they may reply to. Otherwise 404."""
    post = (
        Post.objects.live()
        .filter(
            pk=pk,
            hidden_at__isnull=True,
            awaiting_approval=False,
            topic__deleted_at__isnull=True,
            topic__awaiting_approval=False,
        )
        .select_related("topic__category", "author")
        .first()
    )
    if post is None or not policies.can_reply(user, post.topic):
        raise Http404
    return post


def get_linked_for(user: User, pk: int) -> Post:
    """The message a lasting address names, if this member may see it where it is: in a
    conversation they may read, and, while it or its conversation waits for a moderator, only
    for its author and moderators. Otherwise 404."""
    post = (
        Post.objects.live()
        .filter(pk=pk, topic__deleted_at__isnull=True)
        .select_related("topic__category")
        .first()
    )
    if post is None or not policies.can_read(user, post.topic.category):
        raise Http404
    topic = post.topic
    if not is_moderator(user) and (
        (topic.awaiting_approval and topic.author_id != user.pk)
        or (post.awaiting_approval and post.author_id != user.pk)
    ):
        raise Http404
    return post


def _without_quotes(raw: str) -> str:
    """The message's own words: the quotes it holds (and their attribution lines) left out, so
    quoting a reply doesn't stack up everything it quoted."""
    lines = raw.splitlines()
    kept: list[str] = []
    fenced = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced:
            if _QUOTE_LINE.match(line):
                continue
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if _ATTRIBUTION_LINE.match(line) and _QUOTE_LINE.match(following):
                continue
        kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """At most about `limit` characters, ending at a paragraph, a sentence or a word, with an
    ellipsis when cut; a code block cut open is closed again."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for stop in ("\n\n", ". ", "\n", " "):
        at = cut.rfind(stop)
        if at > limit // 2:
            cut = cut[: at + (1 if stop == ". " else 0)]
            break
    cut = cut.rstrip() + " …"
    fences = [m[1] for line in cut.splitlines() if (m := _FENCE.match(line))]
    if len(fences) % 2:
        cut += "\n" + fences[-1][0] * 3
    return cut


# A picture in the quoted message (`![description](address)`): quoted as its description, so
# a quote never carries the picture itself (a new member may not post pictures, and the picture
# belongs to the other message).
_PICTURE = re.compile(r"!\[([^\]]*)\]\([^)\s]*\)")


def _pictures_as_words(text: str) -> str:
    return _PICTURE.sub(lambda m: f"(picture: {m[1].strip() or 'no description'})", text)


def quote_markdown(post: Post) -> str:
    """The start of a reply quoting this message: the attribution line, then the blockquote."""
    name = _MARKDOWN_SPECIAL.sub(r"\\\1", post.author.public_name)
    text = shorten(_pictures_as_words(_without_quotes(post.raw) or post.raw.strip()))
    quoted = "\n".join(f"> {line}".rstrip() for line in text.splitlines())
    return f"[{name}]({post.link_url}) wrote:\n{quoted}\n\n"


def _quoted_id(children: list[Token]) -> int | None:
    """The message id in an attribution line ("[name](/community/p/12/) wrote:"), if it is one."""
    if not children or children[0].type != "link_open":
        return None
    close = next((i for i, c in enumerate(children) if c.type == "link_close"), None)
    rest = children[close + 1 :] if close is not None else []
    if not rest or any(c.type != "text" for c in rest):
        return None
    if "".join(c.content for c in rest).strip() != "wrote:":
        return None
    href = urlsplit(str(children[0].attrGet("href") or ""))
    site = urlsplit(settings.SITE_URL).netloc.lower()
    if href.netloc and href.netloc.lower() != site:
        return None
    found = _permalink().fullmatch(href.path)
    return int(found[1]) if found else None


def quoted_post_ids(raw: str) -> list[int]:
    """The ids of the messages a text quotes, in order, each once."""
    found: list[int] = []
    parsed = tokens(raw)
    for i in range(len(parsed) - 3):
        opening, inline, _, after = parsed[i : i + 4]
        if (
            opening.type == "paragraph_open"
            and opening.level == 0
            and inline.type == "inline"
            and after.type == "blockquote_open"
        ):
            pk = _quoted_id(inline.children or [])
            if pk is not None:
                found.append(pk)
    return list(dict.fromkeys(found))


def notify_quoted(author: User, post: Post, already: set[int]) -> set[int]:
    """Tell the writers of the messages this one quotes, once each, unless they were told about
    it already (a reply to them, a mention), muted the conversation (in `already`) or muted or
    blocked the author. Only messages the author may read count, and only writers who may read
    this conversation are told. Returns who was told."""
    ids = quoted_post_ids(post.raw)[:MAX_QUOTES]
    if not ids:
        return set()
    quoted = list(
        Post.objects.live()
        .filter(
            pk__in=ids,
            hidden_at__isnull=True,
            awaiting_approval=False,
            topic__deleted_at__isnull=True,
            topic__awaiting_approval=False,
        )
        .exclude(author=author)
        .select_related("topic__category", "author__community_standing")
    )
    if not quoted:
        return set()
    ignoring = policies.ignoring({q.author_id for q in quoted}, author)
    told: set[int] = set()
    for source in quoted:
        writer = source.author
        if writer.pk in already or writer.pk in told or writer.pk in ignoring:
            continue
        if not writer.is_active or not policies.can_read(author, source.topic.category):
            continue
        if not policies.can_read(writer, post.topic.category):
            continue
        notify(
            writer,
            kind="community.quote",
            title=f"{author.public_name} quoted you in a conversation",
            url=post.get_absolute_url(),
        )
        told.add(writer.pk)
    return told
