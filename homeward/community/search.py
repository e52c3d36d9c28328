"""Searching the community: how messages are indexed (core.search), which of them a person may
find, and the site search page's "Conversations" section.

Every live message is indexed: its text, and for a conversation's first message the
conversation's title too. Who may find it is decided when searching, by narrowing to the
messages this person may read (`readable_posts`): a category they may not read, a message
removed, hidden or waiting for approval never comes back, whatever the index holds."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.safestring import SafeString

from homeward.accounts.models import User
from homeward.community import services
from homeward.community.models import Category, Post, Topic
from homeward.core import search
from homeward.core.rows import Columns, as_is, fetch

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

RESULTS_PER_PAGE = 20
_TAG = re.compile(r"<[^>]*>")


def plain_text(cooked: str) -> str:
    """The words of a message's (already sanitised) HTML, without the markup."""
    return " ".join(html.unescape(_TAG.sub(" ", cooked)).split())


def post_document(post: Post) -> tuple[str, str] | None:
    if post.deleted_at is not None or post.topic.deleted_at is not None:
        return None
    title = post.topic.title if post.post_number == 1 else ""
    return title, plain_text(post.cooked)


def register() -> None:
    """Called from CommunityConfig.ready()."""
    search.register(
        Post,
        document=post_document,
        queryset=lambda: Post.objects.select_related("topic").order_by("pk"),
        # A million messages: the start of a common word costs more than it finds.
        whole_common_words=True,
    )
    search.register_section(
        search.Section(
            name="conversations",
            label="Conversations",
            template="community/_search_results.jinja",
            filters=SearchFilters,
            results=results,
            order=10,
        )
    )


def readable_posts(user: User | AnonymousUser) -> QuerySet[Post]:
    """Messages this person may read: in a category they may read, in a live conversation,
    and not removed, hidden or waiting for a moderator."""
    return Post.objects.filter(
        deleted_at__isnull=True,
        hidden_at__isnull=True,
        awaiting_approval=False,
        topic__deleted_at__isnull=True,
        topic__awaiting_approval=False,
        topic__category__in=services.readable_categories(user),
    )


ACTIVITY_PER_PAGE = 20
# What a profile's activity shows of each message: its own columns, and of its conversation
# and category only their names, as values (`topic_title`, `category_name`, as search results
# have them): building a conversation and a category for every row cost the list more than
# its query.
_LISTED = ("post_number", "created_at", "topic_id")
_NAMES = {"topic_title": F("topic__title"), "category_name": F("topic__category__name")}


def activity_of(
    viewer: User | AnonymousUser, member: User, page: int = 1
) -> tuple[list[Post], bool]:
    """A member's conversations and replies, newest first, that `viewer` may read (for their
    profile): one page, and whether there is another. One query."""
    start = (page - 1) * ACTIVITY_PER_PAGE
    rows = list(
        readable_posts(viewer)
        .filter(author=member)
        .only(*_LISTED)
        .annotate(**_NAMES)
        .order_by("-created_at", "-pk")[start : start + ACTIVITY_PER_PAGE + 1]
    )
    return rows[:ACTIVITY_PER_PAGE], len(rows) > ACTIVITY_PER_PAGE


# The search page's section -------------------------------------------------------------------


# The filters as nobody has filled them in, by the categories offered (SearchFilters.render).
_EMPTY_FILTERS: dict[tuple[Any, ...], SafeString] = {}


class SearchFilters(forms.Form):
    """Filters beside the words: where, who, when. All optional."""

    category = forms.ChoiceField(label="Category", required=False)
    author = forms.CharField(
        label="Written by", required=False, max_length=30, help_text="A member's name."
    )
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = services.readable_category_names(user)
        field = self.fields["category"]
        # B101: the assert narrows the type for mypy.
        assert isinstance(field, forms.ChoiceField)  # nosec B101
        field.choices = [("", "All categories"), *categories]

    def render(
        self, template_name: str | None = None, context: Any = None, renderer: Any = None
    ) -> SafeString:
        """The filters. Left empty (nearly every search), they look the same to everyone who
        may read the same categories, so that HTML is made once per process."""
        given = tuple(self[name].data for name in self.fields)  # None, or "" when sent empty
        if template_name or context or renderer or any(given):
            return super().render(template_name, context, renderer)
        field = self.fields["category"]
        choices = tuple(field.choices)  # type: ignore[attr-defined]
        key = (type(self), self.prefix, self.auto_id, self.is_bound, given, choices)
        html = _EMPTY_FILTERS.get(key)
        if html is None:
            html = _EMPTY_FILTERS[key] = super().render()
        return html

    # As RenderableMixin names them, for templates ({{ form }}) to find this render.
    __str__ = render
    __html__ = render

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "Choose a date on or after the “From” date.")
        return data


@dataclass
class Hit:
    post: Post
    title: str  # the conversation's title, with matched words marked when it was matched
    excerpt: str
    category: str  # the name of the conversation's category


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# A common word matches a fifth of all messages: the newest this many matches are ranked
# first, then the ones before them (core.search.ranked).
RANKED_NEWEST = 2_000

# What a search result shows of a message and its author, read with the permission check in
# one hand-written query (core.rows): through the ORM, building that query for the keys of
# each search cost 2 ms; the database answers it in 0.2 ms.
_FOUND = Columns(Post, "p", ("topic", "author", "post_number", "cooked", "created_at"))
_FOUND_AUTHOR = Columns(User, "u", ("username", "display_name", "erased_at"))


@cache
def _found_sql(vendor: str) -> str:
    """The found messages' query up to the keys' IN list (per database engine: its backend
    quotes the names). Its conditions are `readable_posts`'s, written out: a test holds the
    two to the same answers for every kind of member and message. Only names from the models
    are formatted in; values are parameters."""
    topic, category = (Columns(m, a) for m, a in ((Topic, "t"), (Category, "c")))
    return " ".join(
        (
            f"SELECT {_FOUND.select()}, {_FOUND_AUTHOR.select()}, t.title, c.name",  # nosec B608
            f"FROM {_FOUND.table()} JOIN {topic.table()} ON t.id = p.topic_id",
            f"JOIN {category.table()} ON c.id = t.category_id",
            f"JOIN {_FOUND_AUTHOR.table()} ON u.id = p.author_id",
            "WHERE p.deleted_at IS NULL AND p.hidden_at IS NULL AND p.awaiting_approval = %s",
            "AND t.deleted_at IS NULL AND t.awaiting_approval = %s AND",
        )
    )


def _readable_among(
    user: User | AnonymousUser,
    keys: list[Any],
    *,
    category: str = "",
    author: str = "",
    since: date | None = None,
    until: date | None = None,
) -> list[Post]:
    """The messages among `keys` this person may read (as `readable_posts` decides) and the
    filters keep, each with its author, `topic_title` and `category_name`: one query."""
    if not user.is_authenticated or not keys:
        return []
    readable, readable_params = services.readable_category_sql(user)
    sql = [_found_sql(connection.vendor), readable]
    params: list[Any] = [False, False, *readable_params]
    if category:
        sql.append("AND c.slug = %s")
        params.append(category)
    if author:
        # As the ORM's iexact: UPPER on both sides (PostgreSQL), ASCII letters only (SQLite).
        name = author.strip()
        sql.append(
            "AND u.erased_at IS NULL AND (UPPER(u.display_name) = UPPER(%s)"
            " OR UPPER(u.username) = UPPER(%s))"
        )
        params += [name, name]
    adapt = connection.ops.adapt_datetimefield_value
    if since:
        sql.append("AND p.created_at >= %s")
        params.append(adapt(_day_start(since)))
    if until:
        sql.append("AND p.created_at < %s")
        params.append(adapt(_day_start(until + timedelta(days=1))))
    sql.append(f"AND p.id IN ({', '.join(['%s'] * len(keys))})")
    found = []
    for post, writer, title, category_name in fetch(
        " ".join(sql), [*params, *keys], _FOUND, _FOUND_AUTHOR, as_is, as_is
    ):
        post.author = writer
        post.topic_title, post.category_name = title, category_name
        found.append(post)
    return found


def find_posts(
    user: User | AnonymousUser,
    query: str | search.Query,
    *,
    category: str = "",
    author: str = "",
    since: date | None = None,
    until: date | None = None,
    offset: int = 0,
    limit: int = 100,
) -> list[Post]:
    """Messages this person may read that match the words and filters, best first."""
    filtered = bool(category or author or since or until)
    return search.ranked_among(
        Post,
        query,
        partial(_readable_among, user, category=category, author=author, since=since, until=until),
        offset=offset,
        limit=limit,
        newest=RANKED_NEWEST,
        # With no filters, nearly every match is one the reader may read: a page and a few
        # rows are read at first rather than two pages.
        kept_share=0.5 if filtered else 0.9,
    )


def _opening(post: Post, words: int = 30) -> str:
    """The start of a message, for a result whose words matched only the title."""
    found = plain_text(post.cooked).split()
    return " ".join(found[:words]) + (" …" if len(found) > words else "")


def results(
    user: User | AnonymousUser, query: str, filters: dict[str, Any], page: int
) -> dict[str, Any]:
    """One page of results (the engine's ranked window, the readable rows among it, then the
    excerpts: three queries for most pages); a row more than a page is read to know whether
    there is a next page, so no count is needed."""
    # Parsed once for the ranking and the excerpts (core.search.parse).
    words = search.parse(Post, query)
    if words is None:
        return {"hits": [], "has_next": False}
    rows = find_posts(
        user,
        words,
        category=filters.get("category") or "",
        author=filters.get("author") or "",
        since=filters.get("since"),
        until=filters.get("until"),
        offset=(page - 1) * RESULTS_PER_PAGE,
        limit=RESULTS_PER_PAGE + 1,
    )
    shown = rows[:RESULTS_PER_PAGE]
    marks = search.highlights(shown, words)
    hits = []
    for post in shown:
        mark = marks.get(post.pk)
        title: str = post.topic_title  # type: ignore[attr-defined]
        # The indexed title, marked (when its words matched), while it is still the
        # conversation's title.
        if (
            mark is not None
            and "<mark>" in mark.title
            and plain_text(mark.title) == " ".join(title.split())
        ):
            title = mark.title
        excerpt = (mark.excerpt if mark else "") or _opening(post)
        hits.append(Hit(post, title, excerpt, post.category_name))  # type: ignore[attr-defined]
    return {"hits": hits, "has_next": len(rows) > RESULTS_PER_PAGE}
