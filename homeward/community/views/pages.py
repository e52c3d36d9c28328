"""Reading the community: categories, a category's conversations, a conversation, and a
member's own bookmarks and progress. Every page is for signed-in members."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from homeward.accounts.models import User
from homeward.accounts.policies import acting_user, is_moderator, is_staff
from homeward.community import (
    moderation,
    policies,
    polls,
    previews,
    quotes,
    services,
    trust,
)
from homeward.community.forms import LevelForm, ReplyForm
from homeward.community.models import (
    LEVEL_HELP,
    NotificationLevel,
    Post,
    TrustLevel,
)
from homeward.community.templatetags.community import moderation_banner_html
from homeward.core.jinja2 import render_fragment
from homeward.events.models import Event

# Set in the session when a member's message suggests they may be at risk: the next page they
# see shows the support box once.
SUPPORT_KEY = "community_show_support"


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Every category this member may read, with its newest conversation (one query), and the
    next few events (one more)."""
    user = acting_user(request)
    services.record_visit(user)
    categories = list(
        services.readable_categories(user).select_related(
            "latest_topic", "latest_topic__last_poster"
        )
    )
    lists = {"categories": categories, "events": upcoming_events(user)}
    context = {
        "lists": render_fragment("community/_index.jinja", lists),
        "is_moderator": is_moderator(user),
        "is_staff": is_staff(user),
    }
    return render(request, "community/index.html", context)


# How many events the index shows.
COMMUNITY_EVENTS = 3


def upcoming_events(user: User, count: int = COMMUNITY_EVENTS) -> list[Event]:
    """The next `count` published events this member may see, soonest first (an event that
    has started shows until it ends; the events app decides who sees what), in one query."""
    events = (
        Event.objects.visible_to(user)
        .upcoming()
        .filter(status=Event.Status.PUBLISHED)
        .only("pk", "title", "starts_at", "ends_at", "format", "place_name")
        .order_by("starts_at", "pk")
    )
    return list(events[:count])


# A guard against absurd page numbers (3 million conversations deep), not a limit anyone meets.
MAX_CATEGORY_PAGE = 100_000


@require_safe
@login_required
def category(request: HttpRequest, slug: str) -> HttpResponse:
    """A category's conversations: pinned first, then the most recently active; newer and
    older pages, without a total (after Discourse)."""
    user = acting_user(request)
    cat = services.get_category_for(user, slug)
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_CATEGORY_PAGE:
        raise Http404
    number = int(raw)
    services.record_visit(user)
    topics, has_next = services.category_page(user, cat, number)
    if not topics and number > 1:
        raise Http404
    context = {
        "category": cat,
        "topics": topics,
        "topic_rows": render_fragment(
            "community/_topic_rows.jinja", {"topics": topics, "show_category": False}
        ),
        "page_number": number,
        "has_next": has_next,
        "may_post": policies.can_post_in(user, cat),
    }
    return render(request, "community/category.html", context)


@require_safe
@login_required
def latest(request: HttpRequest) -> HttpResponse:
    """The newest conversations in every category this member may read (Discourse's
    "Latest"); newer and older pages, without a total."""
    user = acting_user(request)
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_CATEGORY_PAGE:
        raise Http404
    number = int(raw)
    services.record_visit(user)
    topics, has_next = services.latest_page(user, number)
    if not topics and number > 1:
        raise Http404
    rows = {"topics": topics, "show_category": True}
    context = {
        "topics": topics,
        "topic_rows": render_fragment("community/_topic_rows.jinja", rows),
        "page_number": number,
        "has_next": has_next,
    }
    return render(request, "community/latest.html", context)


def pager(current: int, last: int) -> list[int | None]:
    """Page numbers to link: the first, the last, and two either side of this one; None
    marks a gap. A conversation of 500 pages still shows a short pager."""
    if last <= 1:
        return []
    shown = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    out: list[int | None] = []
    previous = 0
    for n in shown:
        if previous and n - previous > 1:
            out.append(None)
        out.append(n)
        previous = n
    return out


def decorate(user: User, posts: list[Post], *, annotated: bool = False) -> None:
    """What this member may do with each message, and what they have done (two queries, or
    none when the posts came from services.topic_page with their marks)."""
    if annotated:
        reacted = {(p.pk, k) for p in posts for k in ("like", "support") if getattr(p, f"my_{k}")}
        marked = {p.pk for p in posts if getattr(p, "my_bookmark", False)}
    else:
        reacted = services.reactions_of(user, posts)
        marked = services.bookmarked(user, posts)
    moderator = is_moderator(user)
    may_flag = policies.can_flag(user)
    for post in posts:
        # Hidden and held messages: their author and moderators still read them.
        shown = moderator or post.author_id == user.pk
        post.shown = shown or not (  # type: ignore[attr-defined]
            post.is_hidden or post.awaiting_approval
        )
        post.may_flag = may_flag and post.author_id != user.pk  # type: ignore[attr-defined]
        post.may_react = policies.can_react(user, post)  # type: ignore[attr-defined]
        post.may_edit = policies.can_edit(user, post)  # type: ignore[attr-defined]
        post.my_like = (post.pk, "like") in reacted  # type: ignore[attr-defined]
        post.my_support = (post.pk, "support") in reacted  # type: ignore[attr-defined]
        post.my_bookmark = post.pk in marked  # type: ignore[attr-defined]
        # The body with its links' titles (previews.dress) or, by default, `cooked`: always
        # set, because a template looking up an attribute a model lacks pays for a dir().
        if not hasattr(post, "body_html"):
            post.body_html = ""  # type: ignore[attr-defined]


@require_safe
@login_required
def topic(request: HttpRequest, pk: int) -> HttpResponse:
    """One page of a conversation (20 messages). Reading it keeps the member's place."""
    user = acting_user(request)
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise Http404
    number = int(raw)
    found = services.topic_page(user, pk, number)
    convo, posts, mark = found.topic, found.posts, found.mark
    services.record_reading(user, convo, posts[-1].post_number, mark)
    decorate(user, posts, annotated=True)
    previews.dress(user, posts)
    is_last_page = number == convo.page_count
    may_reply = policies.can_reply(user, convo)
    # The member's unfinished reply fills the box again on the last page; other pages link to
    # it (read with the topic by services.topic_page: no query of its own).
    draft = found.draft if may_reply else None
    poll = getattr(convo, "poll", None) if number == 1 else None
    level = NotificationLevel.NORMAL if mark.level is None else NotificationLevel(mark.level)
    # A poll shows straight after the opening message.
    opening: Any = posts[0]
    poll_after = poll is not None and opening.post_number == 1 and opening.shown
    poll_after = poll_after and not opening.is_deleted
    body = {
        "topic": convo,
        "posts": posts,
        "poll_after_first": poll_after,
        "poll": polls.poll_view(user, convo, poll) if poll_after and poll is not None else None,
        "page_number": number,
        "pages": pager(number, convo.page_count),
        "is_last_page": is_last_page,
        "may_reply": may_reply,
        "is_moderator": is_moderator(user),
        "user_pk": user.pk,
        "may_lead": policies.can_lead(user),
        # The reply box is only on the last page.
        "form": ReplyForm(initial={"body": draft.body} if draft else None, member=user)
        if is_last_page
        else None,
        "draft": draft,
        "level": level,
        "level_help": LEVEL_HELP[level],
        "level_choices": LevelForm.base_fields["level"].choices,  # type: ignore[attr-defined]
        "support": support_box(request),
        "banner": moderation_banner_html(),
    }
    context = {
        "topic": convo,
        "body": render_fragment("community/_topic.jinja", body, request),
    }
    return render(request, "community/topic.html", context)


@require_safe
@login_required
def post_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A message's lasting address (quotes link to it): on to wherever the message is now."""
    post = quotes.get_linked_for(acting_user(request), pk)
    return redirect(post.get_absolute_url())


def support_box(request: HttpRequest) -> list[moderation.SupportLine]:
    """The support lines to show once, straight after a message that matched a crisis word."""
    if not request.session.pop(SUPPORT_KEY, False):
        return []
    return moderation.support_for(acting_user(request))


@require_safe
@login_required
def bookmarks(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(request, "community/bookmarks.html", {"bookmarks": services.bookmarks_of(user)})


@require_safe
@login_required
def progress(request: HttpRequest) -> HttpResponse:
    """A member's own trust level and what they need for the next one."""
    user = acting_user(request)
    standing = services.ensure_standing(user)
    level = standing.trust_level
    next_level = level + 1 if level < TrustLevel.REGULAR else None
    context = {
        "standing": standing,
        "level_name": TrustLevel(level).label,
        "is_moderator": is_moderator(user),
        "next_level": next_level,
        "next_name": TrustLevel(next_level).label if next_level is not None else "",
        "unlocks": trust.UNLOCKS.get(TrustLevel(next_level), "") if next_level else "",
        "requirements": (
            trust.tl3_requirements(standing)
            if next_level == TrustLevel.REGULAR
            else trust.requirements(standing, next_level)
            if next_level
            else []
        ),
        "over_days": trust.tl3("PERIOD_DAYS") if next_level == TrustLevel.REGULAR else None,
        "minutes": standing.time_read_seconds // 60,
    }
    return render(request, "community/progress.html", context)
