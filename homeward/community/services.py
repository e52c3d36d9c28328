"""Every change in the community goes through here: topics and replies (with their counters,
mentions and notifications), edits with history, reactions, bookmarks, reading progress and
trust levels, moderation, and data rights. Each action runs in one transaction."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import (
    F,
    Q,
)
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.policies import is_moderator, is_staff
from homeward.community import (
    drafts,
    moderation,
    policies,
    polls,
    previews,
    quotes,
    topic_levels,
    trust,
)
from homeward.community import pictures as post_pictures
from homeward.community.models import (
    POSTS_PER_PAGE,
    TOPICS_PER_PAGE,
    Bookmark,
    Category,
    Draft,
    MemberStanding,
    NotificationLevel,
    Poll,
    Post,
    PostRevision,
    Reaction,
    Topic,
    TopicUser,
    TrustLevel,
)
from homeward.core import audit, datarights, search
from homeward.core.markdown import render_markdown
from homeward.core.notifications import notify
from homeward.core.rows import Columns, as_is, fetch

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# A reply with the same text by the same member within this time is the same reply sent twice.
DUPLICATE_WINDOW = timedelta(minutes=10)
MAX_MENTIONS = 10
FIRST_DAY = timedelta(hours=24)


class PostRefused(Exception):
    """A post the service will not take, with a plain message for the field it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# Reading: what a person may see ------------------------------------------------------------


def readable_categories(user: User | AnonymousUser) -> Any:
    """The categories this person may read, in their order (a query set, not yet run)."""
    if not user.is_authenticated:
        return Category.objects.none()
    return Category.objects.readable_at(policies.trust_level(user), staff=is_staff(user))


def readable_category_sql(user: User | AnonymousUser, alias: str = "c") -> tuple[str, list[Any]]:
    """`Category.objects.readable_at` as a condition on the category table called `alias`, for
    the hand-written queries of busy pages (core.rows): (SQL, parameters). Nobody signed in
    reads nothing."""
    if not user.is_authenticated:
        return "1 = 0", []
    sql, params = f"{alias}.read_min_trust <= %s", [policies.trust_level(user)]
    if not is_staff(user):
        sql += f" AND {alias}.staff_only = %s"
        params.append(False)
    return sql, params


def readable_category_names(user: User | AnonymousUser) -> list[tuple[str, str]]:
    """(slug, name) of each category this person may read, in their order: one query."""
    condition, params = readable_category_sql(user)
    table = connection.ops.quote_name(Category._meta.db_table)
    sql = f"SELECT c.slug, c.name FROM {table} c WHERE {condition} ORDER BY c.position, c.name"  # noqa: S608  # nosec B608
    return [(slug, name) for slug, name in fetch(sql, params, as_is, as_is)]


def get_category_for(user: User, slug: str) -> Category:
    """The category, or 404 when it doesn't exist or this member may not know it does."""
    category = Category.objects.filter(slug=slug).first()
    if category is None or not policies.can_read(user, category):
        raise Http404
    return category


def get_topic_for(user: User, pk: int) -> Topic:
    """A live topic this member may read, with its category; otherwise 404. One waiting for
    approval is seen only by its author and moderators."""
    topic = (
        Topic.objects.filter(deleted_at__isnull=True).select_related("category").filter(pk=pk)
    ).first()
    if topic is None or not policies.can_read(user, topic.category):
        raise Http404
    if topic.awaiting_approval and topic.author_id != user.pk and not is_moderator(user):
        raise Http404
    return topic


def get_post_for(user: User, pk: int) -> Post:
    """A live post in a live topic this member may read; otherwise 404."""
    post = (
        Post.objects.live()
        .select_related("topic__category", "author")
        .filter(pk=pk, topic__deleted_at__isnull=True)
        .first()
    )
    if post is None or not policies.can_read(user, post.topic.category):
        raise Http404
    return post


def latest_topics_for(user: User | AnonymousUser, count: int = 5) -> list[Topic]:
    """The conversations with the newest messages that this member may read and hasn't muted,
    for the landing page: one query. The member's trust level comes with the signed-in user
    (settings.AUTH_USER_SELECT_RELATED), and the category rules are checked on the category
    joined for its name, so SQLite reads the newest conversations in index order and stops
    at `count` (no subquery for it to plan around)."""
    if not user.is_authenticated:
        return []
    topics = Topic.objects.live().filter(category__read_min_trust__lte=policies.trust_level(user))
    if not is_staff(user):
        topics = topics.filter(category__staff_only=False)
    return list(
        topics.exclude(topic_levels.muted_by(user.pk))
        .select_related("category")
        .only("title", "last_posted_at", "category__name", "category__slug")
        .order_by("-last_posted_at", "-id")[:count]
    )


def page_posts(topic: Topic, page: int) -> list[Post]:
    """One page of a topic: posts are numbered without gaps, so a page is a range (constant
    cost on the last page of a long topic). Deleted posts keep their place, shown as removed."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    posts = list(
        Post.objects.filter(
            topic=topic, post_number__gte=first, post_number__lt=first + POSTS_PER_PAGE
        )
        .select_related("author")
        .order_by("post_number")
    )
    for post in posts:
        post.topic = topic
    return posts


# What a topic page reads, as columns of a hand-written query (core.rows: the ORM took about
# 2 ms a page to build these two queries, the database 0.2 ms to answer them). Of each message
# and its author, only what the page shows: the markdown source, who deleted it and the
# author's account details stay in the database.
_TOPIC = Columns(Topic, "t")
_CATEGORY = Columns(Category, "c")
_POLL = Columns(Poll, "pl")
_MARK = Columns(TopicUser, "m", ("last_read_post_number", "last_visited_at", "notification_level"))
_DRAFT = Columns(Draft, "d", ("body", "updated_at"))
_POST = Columns(
    Post,
    "p",
    (
        *("topic", "author", "post_number", "cooked", "created_at", "edited_at", "version"),
        *("deleted_at", "like_count", "support_count", "hidden_at", "awaiting_approval"),
    ),
)
_AUTHOR = Columns(User, "u", ("username", "display_name", "erased_at"))


@cache
def _topic_page_sql(vendor: str) -> tuple[str, str]:
    """The topic page's two queries, per database engine (its backend quotes the names). The
    reader's place, unfinished reply, reactions and bookmarks are each at most one row: those
    tables are unique on the reader and the topic or message. Only table and column names
    from the models are formatted in; every value is a parameter."""
    topic_columns = ", ".join(c.select() for c in (_TOPIC, _CATEGORY, _POLL, _MARK, _DRAFT))
    topic = " ".join(
        (
            f"SELECT {topic_columns} FROM {_TOPIC.table()}",  # noqa: S608  # nosec B608
            f"JOIN {_CATEGORY.table()} ON c.id = t.category_id",
            f"LEFT JOIN {_POLL.table()} ON pl.topic_id = t.id",
            f"LEFT JOIN {_MARK.table()} ON m.topic_id = t.id AND m.user_id = %s",
            f"LEFT JOIN {_DRAFT.table()} ON d.topic_id = t.id AND d.user_id = %s",
            "WHERE t.id = %s AND t.deleted_at IS NULL",
        )
    )
    reaction, bookmark = (connection.ops.quote_name(m._meta.db_table) for m in (Reaction, Bookmark))
    mine = f"EXISTS(SELECT 1 FROM {reaction} r WHERE r.post_id = p.id AND r.user_id = %s"  # noqa: S608  # nosec B608
    marked = f"EXISTS(SELECT 1 FROM {bookmark} b WHERE b.post_id = p.id AND b.user_id = %s)"  # noqa: S608  # nosec B608
    posts = " ".join(
        (
            f"SELECT {_POST.select()}, {_AUTHOR.select()},",
            f"{mine} AND r.kind = %s), {mine} AND r.kind = %s), {marked}",
            f"FROM {_POST.table()} JOIN {_AUTHOR.table()} ON u.id = p.author_id",
            "WHERE p.topic_id = %s AND p.post_number >= %s AND p.post_number < %s",
            "ORDER BY p.post_number",
        )
    )
    return topic, posts


@dataclass
class TopicPage:
    topic: Topic
    posts: list[Post]
    mark: Mark  # where the reader had read up to before this visit
    draft: Draft | None  # the reader's unfinished reply here


def topic_page(user: User, pk: int, page: int) -> TopicPage:
    """A page of a conversation in two queries: the topic with its category, poll, where this
    member had read up to, how much they want to hear about it and their unfinished reply;
    then its messages with their authors and whether this member liked, supported or
    bookmarked each (`my_like`, `my_support`, `my_bookmark`). 404 when the topic is gone,
    hidden from this member, or has no such page.

    (One query joining the topic to every message was tried: it reads and converts the
    topic's, category's and poll's columns twenty times, which cost more than a second
    query.)"""
    topic_sql, posts_sql = _topic_page_sql(connection.vendor)
    found = fetch(topic_sql, [user.pk, user.pk, pk], _TOPIC, _CATEGORY, _POLL, _MARK, _DRAFT)
    if not found:
        raise Http404
    topic, category, poll, place, draft = found[0]
    topic.category = category
    # As select_related("poll") leaves it: no poll is remembered too, so asking costs nothing.
    Topic.poll.related.set_cached_value(topic, poll)
    if not policies.can_read(user, category):
        raise Http404
    if topic.awaiting_approval and topic.author_id != user.pk and not is_moderator(user):
        raise Http404
    first = (page - 1) * POSTS_PER_PAGE + 1
    like, support = Reaction.Kind.LIKE, Reaction.Kind.SUPPORT
    posts = []
    for post, author, my_like, my_support, my_bookmark in fetch(
        posts_sql,
        [user.pk, like, user.pk, support, user.pk, pk, first, first + POSTS_PER_PAGE],
        *(_POST, _AUTHOR, bool, bool, bool),
    ):
        post.topic = topic
        post.author = author
        post.my_like, post.my_support, post.my_bookmark = my_like, my_support, my_bookmark
        posts.append(post)
    if not posts:
        raise Http404
    if draft is not None:
        draft.user, draft.topic = user, topic
    if place is None:
        return TopicPage(topic, posts, Mark(None), draft)
    mark = Mark(place.last_read_post_number, place.last_visited_at, place.notification_level)
    return TopicPage(topic, posts, mark, draft)


def reactions_of(user: User, posts: list[Post]) -> set[tuple[int, str]]:
    return set(
        Reaction.objects.filter(user=user, post__in=[p.pk for p in posts]).values_list(
            "post_id", "kind"
        )
    )


def bookmarked(user: User, posts: list[Post]) -> set[int]:
    return set(
        Bookmark.objects.filter(user=user, post__in=[p.pk for p in posts]).values_list(
            "post_id", flat=True
        )
    )


# What a list of conversations shows of each and of the people in it: fewer columns, fewer
# values to convert. Lists are read on every visit, through core.rows like the topic page
# (the ORM took about 3 ms to build a list's query, the database 0.2 ms to answer it).
_LISTED = Columns(
    Topic,
    "t",
    (
        *("title", "category", "author", "last_posted_at", "last_poster"),
        *("highest_post_number", "reply_count", "pinned_at", "closed_at"),
    ),
)
_STARTER = Columns(User, "a", ("username", "display_name", "erased_at"))
_LAST_POSTER = Columns(User, "lp", ("username", "display_name", "erased_at"))
_LISTED_IN = Columns(Category, "c", ("name", "slug"))


@cache
def _list_sql(vendor: str, latest: bool) -> str:
    """A list's query up to its WHERE (per database engine: its backend quotes the names):
    each topic with who started it, who wrote last, the member's reading place and
    notification level (TopicUser is unique on the topic and the member), and for Latest
    the category. Only names from the models are formatted in; values are parameters."""
    place = connection.ops.quote_name(TopicUser._meta.db_table)
    mine = f"(SELECT m.{{}} FROM {place} m WHERE m.topic_id = t.id AND m.user_id = %s)"  # noqa: S608  # nosec B608
    columns = [_LISTED.select(), *(c.select() for c in (_STARTER, _LAST_POSTER))]
    columns += [mine.format("last_read_post_number"), mine.format("notification_level")]
    joins = [
        f"JOIN {_STARTER.table()} ON a.id = t.author_id",
        f"LEFT JOIN {_LAST_POSTER.table()} ON lp.id = t.last_poster_id",
    ]
    if latest:
        columns.append(_LISTED_IN.select())
        joins.insert(0, f"JOIN {_LISTED_IN.table()} ON c.id = t.category_id")
    select = f"SELECT {', '.join(columns)} FROM {_LISTED.table()}"  # noqa: S608  # nosec B608
    return " ".join((select, *joins, "WHERE"))


def _topic_list(sql: str, params: list[Any], latest: bool) -> tuple[list[Topic], bool]:
    """The topics a list's query found, each with `unread` (new replies, counted when the
    member tracks or watches it, as Discourse does), `never_opened` and `muted`; the page and
    whether another follows (the query reads one row more than a page)."""
    shapes: list[Any] = [_LISTED, _STARTER, _LAST_POSTER, as_is, as_is]
    if latest:
        shapes.append(_LISTED_IN)
    topics = []
    for topic, starter, last_poster, read, level, *category in fetch(sql, params, *shapes):
        topic.author = starter
        topic.last_poster = last_poster
        if category:
            topic.category = category[0]
        level = NotificationLevel.NORMAL if read is None else level
        topic.unread = (
            topic.highest_post_number - read
            if read is not None and level >= NotificationLevel.TRACKING
            else 0
        )
        topic.never_opened = read is None
        topic.muted = level == NotificationLevel.MUTED
        topics.append(topic)
    return topics[:TOPICS_PER_PAGE], len(topics) > TOPICS_PER_PAGE


def category_page(user: User, category: Category, page: int) -> tuple[list[Topic], bool]:
    """One page of a category's conversations, pinned first, then the most recently active,
    each with what this member has not read yet (`_topic_list`): one query, whatever the
    category's size. Nothing is counted (after Discourse, whose lists show no total): a row
    more than a page is read to know whether there is a next one. Pinned come first (NULLs
    sort differently on SQLite and PostgreSQL, so it is said plainly); the (category,
    pinned_at, last_posted_at) index gives this order as read (on PostgreSQL, the one with
    NULLS LAST: migration 0008)."""
    start = (page - 1) * TOPICS_PER_PAGE
    sql = " ".join(
        (
            _list_sql(connection.vendor, latest=False),
            "t.category_id = %s AND t.deleted_at IS NULL AND t.awaiting_approval = %s",
            "ORDER BY t.pinned_at DESC NULLS LAST, t.last_posted_at DESC, t.id DESC",
            "LIMIT %s OFFSET %s",
        )
    )
    params = [user.pk, user.pk, category.pk, False, TOPICS_PER_PAGE + 1, start]
    return _topic_list(sql, params, latest=False)


def latest_page(user: User, page: int) -> tuple[list[Topic], bool]:
    """One page of the newest conversations in every category this member may read, by latest
    message (Discourse's "Latest"), without those they muted: one query, read in the order of
    the (last_posted_at, id) index, whatever the number of conversations. As category_page:
    the page and whether one follows, each topic with its category and `_topic_list`'s
    marks."""
    start = (page - 1) * TOPICS_PER_PAGE
    place = connection.ops.quote_name(TopicUser._meta.db_table)
    readable, readable_params = readable_category_sql(user)
    where = [
        f"t.deleted_at IS NULL AND t.awaiting_approval = %s AND {readable}",
        f"AND NOT EXISTS(SELECT 1 FROM {place} m WHERE m.topic_id = t.id AND m.user_id = %s"  # noqa: S608  # nosec B608
        " AND m.notification_level = %s)",
    ]
    params: list[Any] = [user.pk, user.pk, False, *readable_params]
    params += [user.pk, NotificationLevel.MUTED]
    sql = " ".join(
        (
            _list_sql(connection.vendor, latest=True),
            *where,
            "ORDER BY t.last_posted_at DESC, t.id DESC LIMIT %s OFFSET %s",
        )
    )
    return _topic_list(sql, [*params, TOPICS_PER_PAGE + 1, start], latest=True)


# Standing: visits, reading, trust levels ---------------------------------------------------


def ensure_standing(user: User) -> MemberStanding:
    """The member's standing, made on their first visit."""
    standing = policies.standing_of(user)
    if standing is None:
        try:
            with transaction.atomic():
                standing = MemberStanding.objects.create(user=user)
        except IntegrityError:  # made by a request that raced this one
            standing = MemberStanding.objects.get(user=user)
        policies.remember_standing(user, standing)
    return standing


def _bump(
    standing: MemberStanding, values: dict[str, Any] | None = None, **increments: int
) -> None:
    """Add to counters (F expressions) and set `values`, in one UPDATE; mirror them on the
    object, then move the trust level if the counters now earn a new one."""
    increments = {k: v for k, v in increments.items() if v}
    values = values or {}
    if not increments and not values:
        return
    MemberStanding.objects.filter(pk=standing.pk).update(
        **values, **{name: F(name) + value for name, value in increments.items()}
    )
    for name, value in values.items():
        setattr(standing, name, value)
    for name, value in increments.items():
        setattr(standing, name, getattr(standing, name) + value)
    if increments:
        review_trust_level(standing)


def review_trust_level(standing: MemberStanding) -> bool:
    """Set the level the counters earn (or the locked one). Returns True when it changed."""
    level = trust.level_for(standing)
    if level == standing.trust_level:
        return False
    with transaction.atomic():
        standing.trust_level = level
        standing.promoted_at = timezone.now()
        standing.save(update_fields=["trust_level", "promoted_at"])
        audit.record(None, "community.trust_level_changed", standing, level=level)
    return True


def _visit(standing: MemberStanding) -> tuple[dict[str, Any], int, int]:
    """A community page view: the values to store, whether it is a new day (0 or 1), and the
    seconds since the member's last page view (capped), which reading a topic credits as
    reading time (a page's reading time, measured without JavaScript)."""
    now = timezone.now()
    today = timezone.localdate(now)
    elapsed = 0
    if standing.last_seen_at is not None:
        elapsed = int((now - standing.last_seen_at).total_seconds())
        elapsed = max(0, min(elapsed, trust.MAX_READ_SECONDS_PER_PAGE))
    new_day = int(standing.last_visit_date != today)
    return {"last_visit_date": today, "last_seen_at": now}, new_day, elapsed


def record_visit(user: User) -> None:
    """Count the visit (one UPDATE, which is atomic by itself)."""
    standing = ensure_standing(user)
    values, new_day, _ = _visit(standing)
    _bump(standing, values, days_visited=new_day)


@dataclass(frozen=True)
class Mark:
    """Where a member had read up to in a topic before this page view (None: never opened)."""

    last_read: int | None
    last_visit: Any = None
    level: int | None = None  # their notification level (None: never opened)


_UNKNOWN = Mark(-1)


def record_reading(user: User, topic: Topic, last_post_number: int, mark: Mark = _UNKNOWN) -> None:
    """The member read a topic up to `last_post_number`: their place is kept (for "new since
    your last visit"), and their counters grow: conversations opened, messages read, time.
    `mark` is their place before (read with the page's posts); a view that reads nothing new
    on the same day writes nothing. Each write is one statement, atomic by itself."""
    standing = ensure_standing(user)
    values, new_day, elapsed = _visit(standing)
    now = timezone.now()
    if mark is _UNKNOWN:
        row = TopicUser.objects.filter(topic=topic, user=user).first()
        mark = Mark(None) if row is None else Mark(row.last_read_post_number, row.last_visited_at)
    created = mark.last_read is None
    if mark.last_read is None:
        # No savepoint needed: a racing first view of the same topic simply loses.
        TopicUser.objects.bulk_create(
            [TopicUser(topic=topic, user=user, last_read_post_number=last_post_number)],
            ignore_conflicts=True,
        )
        newly_read = last_post_number
        # Views count the members who opened the conversation.
        Topic.objects.filter(pk=topic.pk).update(view_count=F("view_count") + 1)
    else:
        newly_read = max(0, last_post_number - mark.last_read)
        same_day = mark.last_visit is not None and timezone.localdate(
            mark.last_visit
        ) == timezone.localdate(now)
        if not newly_read and same_day and not new_day:
            return  # nothing new: nothing to write
        TopicUser.objects.filter(topic=topic, user=user).update(
            last_read_post_number=max(mark.last_read, last_post_number), last_visited_at=now
        )
    _bump(
        standing,
        values,
        days_visited=new_day,
        topics_entered=int(created),
        posts_read=newly_read,
        time_read_seconds=elapsed if newly_read else 0,
    )


# Writing: topics and replies ---------------------------------------------------------------

# Links that count against new members' limit: to other websites. A link within this site (a
# quote's link to the message it quotes) starts with one "/".
_LINK = re.compile(r'<a\s+href="(?!/(?!/))', re.IGNORECASE)
_IMAGE = re.compile(r"<img\s", re.IGNORECASE)


# A picture whose address core.markdown removed (only this site's pictures are shown).
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)


def _cook(author: User, raw: str) -> str:
    """Render the text, applying new members' limits on links and pictures. A picture from
    another website would show as nothing at all, so the author is told instead."""
    cooked = str(render_markdown(raw, link_lines=True))
    if policies.limits_apply(author):
        if len(_IMAGE.findall(cooked)) > trust.TL0_MAX_IMAGES:
            raise PostRefused(
                "body",
                "New members can't add pictures yet. Take the picture out, and you can add "
                "pictures once you've spent a little more time reading here.",
            )
        links = len(_LINK.findall(cooked))
        if links > trust.TL0_MAX_LINKS:
            raise PostRefused(
                "body",
                f"New members can add up to {trust.TL0_MAX_LINKS} links in a message. "
                f"This one has {links}: take some out, or share them in another message.",
            )
    if _IMAGE_WITHOUT_SOURCE.search(cooked):
        raise PostRefused(
            "body",
            "Pictures from other websites can't be shown here, because they would tell that "
            "website who is reading. Share a link to the picture instead, like "
            "[our garden](https://…).",
        )
    return cooked


def _check_first_day(author: User, standing: MemberStanding, *, topic: bool) -> None:
    if not policies.limits_apply(author):
        return
    if timezone.now() - author.date_joined >= FIRST_DAY:
        return
    if topic and standing.topic_count >= trust.TL0_TOPICS_FIRST_DAY:
        raise PostRefused(
            "body",
            f"On your first day you can start up to {trust.TL0_TOPICS_FIRST_DAY} conversations. "
            "You can still reply to others, and start more tomorrow.",
        )
    replies = standing.post_count - standing.topic_count
    if not topic and replies >= trust.TL0_REPLIES_FIRST_DAY:
        raise PostRefused(
            "body",
            f"On your first day you can send up to {trust.TL0_REPLIES_FIRST_DAY} replies. "
            "Thank you for joining in: you can reply again tomorrow.",
        )


def _clean(raw: str, *, pictures: bool = False) -> str:
    """The message's text, trimmed: it may be empty only when pictures come with it."""
    raw = raw.strip()
    if not raw and not pictures:
        raise PostRefused("body", "Write your message, or add a picture.")
    return raw


_MENTION = re.compile(
    r"(?<![\w@])@([A-Za-z0-9][A-Za-z0-9._'\-]*(?: [A-Za-z0-9][A-Za-z0-9._'\-]*){0,3})"
)


def mentioned_users(raw: str) -> list[User]:
    """Members named with @ (names may have spaces: the longest name that matches wins)."""
    mentions = [m.group(1).split(" ") for m in _MENTION.finditer(raw)][:MAX_MENTIONS]
    candidates = {
        " ".join(words[:i]).rstrip(".'-_").lower()
        for words in mentions
        for i in range(1, len(words) + 1)
    }
    if not candidates:
        return []
    found: dict[str, User] = {}
    users: Any = User.objects.annotate(
        lname=Lower("username"), ldisplay=Lower("display_name")
    ).filter(Q(lname__in=candidates) | Q(ldisplay__in=candidates), is_active=True)
    for user in users:
        found[user.username.lower()] = user
        if user.display_name:
            found.setdefault(user.display_name.lower(), user)
    result: dict[int, User] = {}
    for words in mentions:
        for i in range(len(words), 0, -1):
            match = found.get(" ".join(words[:i]).rstrip(".'-_").lower())
            if match is not None:
                result[match.pk] = match
                break
    return list(result.values())


def _notify_mentions(author: User, post: Post, already: set[int]) -> set[int]:
    """Tell the members a message mentions, except those in `already` (told about it already,
    or muted the conversation) and those who muted or blocked the author; returns who was told."""
    told: set[int] = set()
    mentioned = [u for u in mentioned_users(post.raw) if u.pk != author.pk and u.pk not in already]
    if not mentioned:
        return told
    ignoring = policies.ignoring((u.pk for u in mentioned), author)
    for user in mentioned:
        if user.pk in ignoring:
            continue
        if not policies.can_read(user, post.topic.category):
            continue
        notify(
            user,
            kind="community.mention",
            title=f"{author.public_name} mentioned you in a conversation",
            url=post.get_absolute_url(),
        )
        told.add(user.pk)
    return told


def announce(author: User, post: Post) -> None:
    """A message has just been published (posted, or approved by a moderator): tell those who
    follow the conversation (for a reply), then those it mentions, then those it quotes, each
    person once; and have the worker fetch the titles of the pages it links to."""
    told = topic_levels.notify_reply(author, post) if post.post_number > 1 else set()
    told |= _notify_mentions(author, post, told)
    quotes.notify_quoted(author, post, told)
    previews.fetch_titles_later(post)


def _mark_posted(user: User, topic: Topic, post_number: int, *, reply: bool) -> bool:
    """Keep the author's place after their own post; True if it is their first reply here."""
    mark, created = TopicUser.objects.get_or_create(
        topic=topic,
        user=user,
        defaults={
            "last_read_post_number": post_number,
            "posted": True,
            "replied": reply,
            "notification_level": NotificationLevel.TRACKING
            if reply
            else NotificationLevel.WATCHING,
        },
    )
    first_reply = reply and (created or not mark.replied)
    if not created:
        mark.last_read_post_number = max(mark.last_read_post_number, post_number)
        mark.posted = True
        mark.replied = mark.replied or reply
        mark.last_visited_at = timezone.now()
        raised = topic_levels.raise_after_posting(mark, started=not reply)
        mark.save(
            update_fields=["last_read_post_number", "posted", "replied", "last_visited_at", *raised]
        )
    return first_reply


@transaction.atomic
def create_topic(
    author: User,
    category: Category,
    *,
    title: str,
    body: str,
    poll: polls.PollSpec | None = None,
    pictures: Sequence[post_pictures.NewPicture] = (),
) -> Topic:
    if not policies.can_post_in(author, category):
        raise PostRefused("title", "You can't start a conversation here.")
    title = " ".join(title.split())
    if not title:
        raise PostRefused("title", "Give your conversation a title.")
    raw = _clean(body, pictures=bool(pictures))
    standing = ensure_standing(author)
    _check_first_day(author, standing, topic=True)
    raw, stored = post_pictures.prepare(author, raw, pictures)
    screening = moderation.screen(author, raw, category)
    cooked = _cook(author, screening.text)
    now = timezone.now()
    topic = Topic.objects.create(
        category=category,
        title=title,
        author=author,
        created_at=now,
        last_posted_at=now,
        last_poster=author,
        highest_post_number=1,
        awaiting_approval=screening.hold,
    )
    post = Post.objects.create(
        topic=topic,
        author=author,
        post_number=1,
        raw=raw,
        cooked=cooked,
        created_at=now,
        awaiting_approval=screening.hold,
    )
    stored.save(post)
    search.index(post)
    if poll is not None:
        polls.add_poll(topic, poll)
    drafts.discard_topic_draft(author, category)
    if not screening.hold:  # a held conversation is counted when a moderator approves it
        Category.objects.filter(pk=category.pk).update(
            topic_count=F("topic_count") + 1, post_count=F("post_count") + 1, latest_topic=topic
        )
    _mark_posted(author, topic, 1, reply=False)
    _bump(standing, topic_count=1, post_count=1)
    moderation.after_post(author, post, screening)
    if not screening.hold:
        announce(author, post)
    return topic


def duplicate_reply(
    author: User, topic: Topic, body: str, pictures: Sequence[post_pictures.NewPicture] = ()
) -> Post | None:
    """The member's reply with this text (and pictures) sent in the last few minutes, if any
    (a double tap)."""
    recent = (
        Post.objects.filter(
            topic=topic,
            author=author,
            deleted_at__isnull=True,
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        )
        .order_by("-post_number")
        .first()
    )
    sent = post_pictures.compose(body.strip(), [p.description for p in pictures])
    return recent if recent is not None and post_pictures.same_text(recent.raw, sent) else None


@transaction.atomic
def post_reply(
    author: User, topic: Topic, body: str, *, pictures: Sequence[post_pictures.NewPicture] = ()
) -> Post:
    """Add a reply. Sent twice (a double tap, a retried form), it is kept once."""
    topic = (
        Topic.objects.select_for_update(of=("self",)).select_related("category").get(pk=topic.pk)
    )
    if topic.deleted_at is not None:
        raise Http404
    if topic.is_closed and not is_moderator(author):
        raise PostRefused("body", "This conversation is closed, so it can't take new replies.")
    if not policies.can_post_in(author, topic.category):
        raise PostRefused("body", "You can't reply in this conversation.")
    raw = _clean(body, pictures=bool(pictures))
    recent = duplicate_reply(author, topic, raw, pictures)
    if recent is not None:
        return recent
    standing = ensure_standing(author)
    _check_first_day(author, standing, topic=False)
    raw, stored = post_pictures.prepare(author, raw, pictures)
    screening = moderation.screen(author, raw, topic.category)
    cooked = _cook(author, screening.text)
    now = timezone.now()
    number = topic.highest_post_number + 1
    post = Post.objects.create(
        topic=topic,
        author=author,
        post_number=number,
        raw=raw,
        cooked=cooked,
        created_at=now,
        awaiting_approval=screening.hold,
    )
    stored.save(post)
    search.index(post)
    drafts.discard_reply_draft(author, topic)
    Topic.objects.filter(pk=topic.pk).update(
        highest_post_number=number,
        reply_count=F("reply_count") + 1,
        last_posted_at=now,
        last_poster=author,
    )
    topic.highest_post_number = number
    topic.reply_count += 1
    Category.objects.filter(pk=topic.category_id).update(
        post_count=F("post_count") + 1, latest_topic=topic
    )
    first_reply = _mark_posted(author, topic, number, reply=True)
    _bump(standing, post_count=1, topics_replied=int(first_reply))
    moderation.after_post(author, post, screening)
    if screening.hold:  # others hear about it once a moderator approves it
        return post
    post.topic = topic
    announce(author, post)
    return post


@transaction.atomic
def edit_post(editor: User, post: Post, body: str) -> Post:
    """Change a post's text; the text it had before is kept as a revision."""
    if not policies.can_edit(editor, post):
        raise Http404
    raw = _clean(body)
    if raw == post.raw:
        return post
    screening = moderation.screen(editor, raw, post.topic.category)
    screening.hold = False  # an edit never takes a published message away again
    cooked = _cook(editor, screening.text)
    PostRevision.objects.create(post=post, version=post.version, raw=post.raw, editor=editor)
    post.raw = raw
    post.cooked = cooked
    post.version += 1
    post.edited_at = timezone.now()
    post.save(update_fields=["raw", "cooked", "version", "edited_at"])
    post_pictures.forget_unused(post)
    search.index(post)
    moderation.post_edited(editor, post, screening)
    if not post.awaiting_approval:
        previews.fetch_titles_later(post)
    return post


# Reactions and bookmarks -------------------------------------------------------------------

_COUNTER = {Reaction.Kind.LIKE: "like_count", Reaction.Kind.SUPPORT: "support_count"}


@transaction.atomic
def toggle_reaction(user: User, post: Post, kind: str) -> bool:
    """Add the member's reaction, or take it back. Returns True when it is now on."""
    if kind not in _COUNTER or not policies.can_react(user, post):
        raise Http404
    counter = _COUNTER[Reaction.Kind(kind)]
    deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    step = -1 if deleted else 1
    if not deleted:
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, user=user, kind=kind)
        except IntegrityError:
            return True
    _count_reaction(post, counter, kind, step)
    giver = ensure_standing(user)
    receiver = ensure_standing(post.author)
    if step > 0:
        _bump(giver, likes_given=1)
        _bump(receiver, likes_received=1)
    else:
        MemberStanding.objects.filter(pk=giver.pk, likes_given__gt=0).update(
            likes_given=F("likes_given") - 1
        )
        MemberStanding.objects.filter(pk=receiver.pk, likes_received__gt=0).update(
            likes_received=F("likes_received") - 1
        )
    return step > 0


def _count_reaction(post: Post, counter: str, kind: str, step: int) -> None:
    if step > 0:
        Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + 1})
    else:
        Post.objects.filter(pk=post.pk, **{f"{counter}__gt": 0}).update(**{counter: F(counter) - 1})
    if kind == Reaction.Kind.LIKE:
        if step > 0:
            Topic.objects.filter(pk=post.topic_id).update(like_count=F("like_count") + 1)
        else:
            Topic.objects.filter(pk=post.topic_id, like_count__gt=0).update(
                like_count=F("like_count") - 1
            )


@transaction.atomic
def toggle_bookmark(user: User, post: Post) -> bool:
    deleted, _ = Bookmark.objects.filter(post=post, user=user).delete()
    if deleted:
        return False
    Bookmark.objects.get_or_create(post=post, user=user)
    return True


def bookmarks_of(user: User) -> list[Bookmark]:
    """The member's bookmarks that they may still read, newest first."""
    return list(
        Bookmark.objects.filter(
            user=user,
            post__deleted_at__isnull=True,
            post__topic__deleted_at__isnull=True,
            post__topic__category__in=readable_categories(user),
        )
        .select_related("post__topic", "post__author")
        .order_by("-created_at", "-id")[:200]
    )


# Moderation --------------------------------------------------------------------------------


@transaction.atomic
def set_pinned(actor: User, topic: Topic, *, pinned: bool) -> None:
    if not policies.can_lead(actor):
        raise Http404
    if topic.is_pinned == pinned:
        return
    topic.pinned_at = timezone.now() if pinned else None
    topic.save(update_fields=["pinned_at"])
    audit.record(actor, "community.topic_pinned" if pinned else "community.topic_unpinned", topic)


@transaction.atomic
def set_closed(actor: User, topic: Topic, *, closed: bool) -> None:
    if not policies.can_lead(actor):
        raise Http404
    if topic.is_closed == closed:
        return
    topic.closed_at = timezone.now() if closed else None
    topic.save(update_fields=["closed_at"])
    audit.record(actor, "community.topic_closed" if closed else "community.topic_reopened", topic)


@transaction.atomic
def move_topic(actor: User, topic: Topic, category: Category) -> None:
    """Move a conversation to another category (level 4, moderators), counters with it."""
    if not policies.can_lead(actor) or not policies.can_read(actor, category):
        raise Http404
    if category.pk == topic.category_id:
        return
    old = topic.category_id
    posts = topic.reply_count + 1
    Category.objects.filter(pk=old).update(
        topic_count=F("topic_count") - 1, post_count=F("post_count") - posts
    )
    Category.objects.filter(pk=category.pk).update(
        topic_count=F("topic_count") + 1, post_count=F("post_count") + posts
    )
    topic.category = category
    topic.save(update_fields=["category"])
    _refresh_latest(old)
    _refresh_latest(category.pk)
    audit.record(actor, "community.topic_moved", topic, to_category=category.pk)


@transaction.atomic
def split_topic(actor: User, topic: Topic, *, from_number: int, title: str) -> Topic:
    """Move the messages from `from_number` to the end into a new conversation in the same
    category (level 4, moderators). Both keep numbering without gaps, so paging stays a range."""
    if not policies.can_lead(actor):
        raise Http404
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if not 2 <= from_number <= topic.highest_post_number:
        raise PostRefused("from_number", f"Choose a message from 2 to {topic.highest_post_number}.")
    title = " ".join(title.split())
    if not title:
        raise PostRefused("title", "Give the new conversation a title.")
    moving = Post.objects.filter(topic=topic, post_number__gte=from_number).order_by("post_number")
    first, last = moving.select_related("author").first(), moving.last()
    if first is None or last is None:  # numbering has no gaps, so this is a broken topic
        raise Http404
    moved_live = moving.filter(deleted_at__isnull=True).count()
    count = topic.highest_post_number - from_number + 1
    new = Topic.objects.create(
        category_id=topic.category_id,
        title=title,
        author=first.author,
        created_at=first.created_at,
        last_posted_at=last.created_at,
        last_poster_id=last.author_id,
        highest_post_number=count,
        reply_count=max(0, moved_live - (0 if first.is_deleted else 1)),
    )
    moving.update(topic=new, post_number=F("post_number") - (from_number - 1))
    search.index(Post.objects.select_related("topic").get(pk=first.pk))  # now titled `title`
    before = Post.objects.filter(topic=topic, post_number=from_number - 1).first()
    topic.highest_post_number = from_number - 1
    topic.reply_count = max(0, topic.reply_count - moved_live)
    if before is not None:
        topic.last_posted_at, topic.last_poster_id = before.created_at, before.author_id
    topic.save(
        update_fields=["highest_post_number", "reply_count", "last_posted_at", "last_poster"]
    )
    Category.objects.filter(pk=topic.category_id).update(topic_count=F("topic_count") + 1)
    _refresh_latest(topic.category_id)
    audit.record(actor, "community.topic_split", topic, new_topic=new.pk, moved=count)
    return new


def _refresh_latest(category_id: int) -> None:
    latest = (
        Topic.objects.live().filter(category_id=category_id).order_by("-last_posted_at", "-id")
    ).first()
    Category.objects.filter(pk=category_id).update(latest_topic=latest)


@transaction.atomic
def delete_post(actor: User, post: Post) -> None:
    """Remove a post (it keeps its place, shown as removed). Removing the first post removes
    the whole conversation."""
    if not is_moderator(actor):
        raise Http404
    if post.is_deleted:
        return
    now = timezone.now()
    post.deleted_at = now
    post.deleted_by = actor
    post.save(update_fields=["deleted_at", "deleted_by"])
    post_pictures.remove_for(post)
    search.remove(post)
    topic = post.topic
    if post.post_number == 1:
        topic.deleted_at = now
        topic.deleted_by = actor
        topic.save(update_fields=["deleted_at", "deleted_by"])
        Category.objects.filter(pk=topic.category_id).update(
            topic_count=F("topic_count") - 1,
            post_count=F("post_count") - (topic.reply_count + 1),
        )
        _refresh_latest(topic.category_id)
        audit.record(actor, "community.topic_deleted", topic)
    else:
        Topic.objects.filter(pk=topic.pk, reply_count__gt=0).update(
            reply_count=F("reply_count") - 1
        )
        Category.objects.filter(pk=topic.category_id, post_count__gt=0).update(
            post_count=F("post_count") - 1
        )
    audit.record(actor, "community.post_deleted", post, post_number=post.post_number)


# Demo and tests: a category --------------------------------------------------------------


@dataclass(frozen=True)
class CategorySpec:
    name: str
    slug: str
    description: str
    position: int
    staff_only: bool = False
    read_min_trust: int = TrustLevel.NEW
    post_min_trust: int = TrustLevel.NEW


def ensure_category(spec: CategorySpec) -> Category:
    category, _ = Category.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "description": spec.description,
            "position": spec.position,
            "staff_only": spec.staff_only,
            "read_min_trust": spec.read_min_trust,
            "post_min_trust": spec.post_min_trust,
        },
    )
    return category


# Data rights -------------------------------------------------------------------------------


def _export(user: User) -> dict[str, Any]:
    from homeward.community import conversations

    standing = MemberStanding.objects.filter(user=user).first()
    return {
        "conversations_started": [
            {"title": t.title, "category": t.category.name, "started": t.created_at.isoformat()}
            for t in Topic.objects.filter(author=user).select_related("category").order_by("pk")
        ],
        "messages": [
            {
                "conversation": p.topic.title,
                "number": p.post_number,
                "text": p.raw,
                "written": p.created_at.isoformat(),
                "edited": p.edited_at.isoformat() if p.edited_at else None,
                "removed": p.is_deleted,
            }
            for p in Post.objects.filter(author=user).select_related("topic").order_by("pk")
        ],
        "reactions": [
            {
                "kind": r.get_kind_display(),
                "conversation": r.post.topic.title,
                "message": r.post.post_number,
            }
            for r in Reaction.objects.filter(user=user).select_related("post__topic").order_by("pk")
        ],
        "bookmarks": [
            {"conversation": b.post.topic.title, "message": b.post.post_number}
            for b in Bookmark.objects.filter(user=user).select_related("post__topic").order_by("pk")
        ],
        **conversations.export_for(user),
        **moderation.export_for(user),
        "conversation_notifications": [
            {"conversation": t.topic.title, "level": t.get_notification_level_display()}
            for t in TopicUser.objects.filter(user=user)
            .exclude(notification_level=NotificationLevel.NORMAL)
            .select_related("topic")
            .order_by("pk")
        ],
        **drafts.export_for(user),
        **post_pictures.export_for(user),
        **polls.export_for(user),
        "standing": None
        if standing is None
        else {
            "trust_level": standing.get_trust_level_display(),
            "conversations_opened": standing.topics_entered,
            "messages_read": standing.posts_read,
            "days_visited": standing.days_visited,
            "minutes_reading": standing.time_read_seconds // 60,
            "likes_given": standing.likes_given,
            "likes_received": standing.likes_received,
        },
    }


def _erase(user: User) -> None:
    """Posts and topics stay (the user row shows as "Former member"); reactions and poll votes
    (with their counters), drafts, bookmarks, reading places and standing go; so do their private messages (their
    place kept), mutes and blocks, flags they made, and penalties and notes about them."""
    from homeward.community import conversations

    conversations.erase_for(user)
    moderation.erase_for(user)
    drafts.erase_for(user)
    post_pictures.erase_for(user)
    polls.erase_for(user)
    for reaction in Reaction.objects.filter(user=user).select_related("post"):
        _count_reaction(reaction.post, _COUNTER[Reaction.Kind(reaction.kind)], reaction.kind, -1)
        MemberStanding.objects.filter(user_id=reaction.post.author_id, likes_received__gt=0).update(
            likes_received=F("likes_received") - 1
        )
        reaction.delete()
    Bookmark.objects.filter(user=user).delete()
    TopicUser.objects.filter(user=user).delete()
    MemberStanding.objects.filter(user=user).delete()
    policies.forget_standing(user)


def register_data_handlers() -> None:
    datarights.register("community", export=_export, erase=_erase, order=40)
