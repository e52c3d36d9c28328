"""Links alone on their line, shown by title (Discourse's "onebox", as plain text only).

A member puts a web address on a line of its own; core.markdown makes it a link whose text is
the address (`LINE_LINK` finds it again in the cooked HTML). When the page is shown:

- a link to one of this site's conversations reads as that conversation's title. The title is
  looked up while the page is shown, for the person reading it: a conversation they may not
  read (another category's trust level, the staff room, waiting for approval, removed) keeps
  the bare address, which says no more than the writer's own text did. Storing the title in
  the message when it is written would show it to every reader, whatever they may read, and
  keep it after the conversation is renamed or removed, so it is never stored.
- a link to another website reads as the title of its page, with the site's name beside it.
  The worker fetches the title once (tasks.fetch_link_title, through linkfetch's checks) after
  the message is published, and keeps it in LinkPreview; until then, or when there is none, the
  address stays as written. Nothing is fetched while anyone waits for a page.

A page of messages costs at most two queries for all its links together (one for this site's
conversations, one for other sites' titles), and none when it has no such links."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import timedelta
from functools import cache, partial
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from homeward.accounts.models import User
from homeward.community import policies
from homeward.community.models import LinkPreview, Post, Topic
from homeward.community.models.previews import url_key
from homeward.core.markdown import LINE_LINK

# One message makes the worker fetch at most this many pages.
MAX_FETCHES_PER_MESSAGE = 5
# A title is fetched again when a new message links to it after this long (a failed one sooner).
REFRESH_AFTER = timedelta(days=30)
RETRY_AFTER = timedelta(days=1)
# A title no new message has linked to for this long is removed (`sweep_unlinked`, daily): the
# address a member wrote stays in their message, the copy of another site's title does not.
KEEP_UNLINKED = timedelta(days=400)
REL = "nofollow noopener noreferrer ugc"
_MARK = f'rel="{REL}">http'  # cheap test: could this message have a link alone on its line?


@cache
def _topic_path() -> re.Pattern[str]:
    example = reverse("community:topic", args=[1])  # "/community/t/1/"
    prefix = example[: example.rindex("1/")]
    return re.compile(rf"{re.escape(prefix)}(\d+)/")


def _site() -> str:
    return urlsplit(settings.SITE_URL).netloc.lower()


def line_links(cooked: str) -> list[str]:
    """The addresses of the links alone on their line in a message's HTML, in order."""
    if _MARK not in cooked:
        return []
    return [html.unescape(m[1]) for m in LINE_LINK.finditer(cooked) if m[1] == m[2]]


def _own_topic(url: str) -> int | None:
    """The conversation an address of this site points to (0: this site, not a conversation;
    None: another site)."""
    parts = urlsplit(url)
    if parts.netloc.lower() != _site():
        return None
    found = _topic_path().fullmatch(parts.path) or _topic_path().fullmatch(parts.path + "/")
    return int(found[1]) if found else 0


def _elsewhere(cooked: str) -> list[str]:
    """Other websites' addresses alone on their line, each once."""
    return list(dict.fromkeys(u for u in line_links(cooked) if _own_topic(u) is None))


# Writing: the worker fetches titles --------------------------------------------------------


def fetch_titles_later(post: Post) -> int:
    """After a message is published: have the worker fetch the titles of the other websites'
    pages it links to on a line of their own, unless known (or tried lately). Returns how many
    were queued; they are queued only once this transaction commits."""
    from homeward.community.tasks import fetch_link_title

    urls = _elsewhere(post.cooked)[:MAX_FETCHES_PER_MESSAGE]
    if not urls:
        return 0
    keys = {url_key(u): u for u in urls}
    now = timezone.now()
    known = LinkPreview.objects.filter(url_hash__in=keys)
    known.update(linked_at=now)
    stale = known.filter(
        Q(fetched_at__lt=now - REFRESH_AFTER)
        | Q(failed=True, fetched_at__lt=now - RETRY_AFTER)
        | Q(fetched_at__isnull=True, queued_at__lt=now - RETRY_AFTER)  # its job was lost
    )
    # Each stale one is claimed by a conditional update, so two messages don't both queue it.
    queued = [
        key
        for key in stale.values_list("url_hash", flat=True)
        if stale.filter(url_hash=key).update(fetched_at=None, queued_at=now)
    ]
    present = set(known.values_list("url_hash", flat=True))
    new = [
        LinkPreview(url_hash=k, url=u, queued_at=now) for k, u in keys.items() if k not in present
    ]
    LinkPreview.objects.bulk_create(new, ignore_conflicts=True)
    queued += [row.url_hash for row in new]
    for key in queued:
        transaction.on_commit(partial(fetch_link_title.enqueue, key))
    return len(queued)


def sweep_unlinked() -> int:
    """Remove the titles no message has linked to for KEEP_UNLINKED (scheduled daily)."""
    deleted, _ = LinkPreview.objects.filter(linked_at__lt=timezone.now() - KEEP_UNLINKED).delete()
    return deleted


# Reading: titles in place of addresses -----------------------------------------------------


def dress(reader: User, posts: Iterable[Post]) -> None:
    """Give each message with links alone on their line `body_html`: its HTML with those links
    showing titles, as far as this reader may know them (see the module's notes). Messages
    without such links are left alone (templates show `cooked`)."""
    linked = [
        (post, line_links(post.cooked))
        for post in posts
        if not post.is_deleted and getattr(post, "shown", True)
    ]
    linked = [(post, urls) for post, urls in linked if urls]
    if not linked:
        return
    topic_ids: set[int] = set()
    keys: set[str] = set()
    for _, urls in linked:
        for url in urls:
            own = _own_topic(url)
            if own:
                topic_ids.add(own)
            elif own is None:
                keys.add(url_key(url))
    topics: dict[int, str] = {}
    if topic_ids:
        found = Topic.objects.live().filter(pk__in=topic_ids).select_related("category")
        topics = {t.pk: t.title for t in found if policies.can_read(reader, t.category)}
    titles: dict[str, str] = {}
    if keys:
        titles = dict(
            LinkPreview.objects.filter(url_hash__in=keys)
            .exclude(title="")
            .values_list("url_hash", "title")
        )
    for post, _ in linked:
        post.body_html = LINE_LINK.sub(  # type: ignore[attr-defined]
            partial(_titled, topics=topics, titles=titles), post.cooked
        )


def _titled(match: re.Match[str], *, topics: dict[int, str], titles: dict[str, str]) -> str:
    if match[1] != match[2]:
        return match[0]
    url = html.unescape(match[1])
    own = _own_topic(url)
    if own is not None:
        title = topics.get(own)
        if title is None:
            return match[0]
        return str(format_html('<a href="{}" rel="{}">{}</a>', url, REL, title))
    title = titles.get(url_key(url))
    if title is None:
        return match[0]
    site = (urlsplit(url).hostname or "").removeprefix("www.")
    return str(
        format_html(
            '<a href="{}" rel="{}">{}</a> <span class="link-title__site">({})</span>',
            url,
            REL,
            title,
            site,
        )
    )
