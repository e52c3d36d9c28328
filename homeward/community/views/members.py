"""What members do: start a conversation, reply (or quote a message in a reply), edit their own
messages, react, bookmark."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from homeward.accounts.policies import acting_user
from homeward.community import (
    drafts,
    limits,
    moderation,
    policies,
    quotes,
    services,
    topic_levels,
)
from homeward.community.forms import EditForm, FlagForm, LevelForm, ReplyForm, TopicForm
from homeward.community.models import LEVEL_HELP, NotificationLevel, Post, Reaction
from homeward.community.views.pages import SUPPORT_KEY, decorate
from homeward.core.jinja2 import render_fragment
from homeward.core.ratelimit import rate_limit


def _after_post(request: HttpRequest, post: Post) -> None:
    """Tell the author what happened; if what they wrote suggests they may be at risk, the next
    page shows them where to get help straight away."""
    if moderation.needs_support(post):
        request.session[SUPPORT_KEY] = True
    if post.awaiting_approval:
        messages.info(
            request, "Thank you. A moderator will check your message before others see it."
        )
    elif post.post_number == 1:
        messages.success(request, "Your conversation has started. Others can reply now.")
    else:
        messages.success(request, "Your reply is posted.")


@require_http_methods(["GET", "POST"])
@login_required
def topic_new(request: HttpRequest, slug: str) -> HttpResponse:
    user = acting_user(request)
    category = services.get_category_for(user, slug)
    if not policies.can_post_in(user, category):
        raise Http404
    draft = drafts.topic_draft(user, category) if request.method == "GET" else None
    initial = {"title": draft.title, "body": draft.body} if draft else None
    form = TopicForm(request.POST or None, request.FILES or None, initial=initial, member=user)
    if request.method == "POST" and form.is_valid():
        try:
            wait = limits.check(user, "topic")
            if wait:
                raise services.PostRefused("body", wait)
            topic = services.create_topic(
                user,
                category,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                poll=form.poll_spec(),
                pictures=form.new_pictures,
            )
        except services.PostRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            limits.count(user, "topic")
            _after_post(request, topic.posts.get(post_number=1))
            return redirect(topic)
    status = 400 if form.errors else 200
    context = {"category": category, "form": form, "draft": draft}
    return render(request, "community/topic_new.html", context, status=status)


@require_POST
@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    topic = services.get_topic_for(user, pk)
    form = ReplyForm(request.POST, request.FILES, member=user)
    if form.is_valid():
        try:
            body, new_pictures = form.cleaned_data["body"], form.new_pictures
            wait = limits.check(user, "reply")
            if wait and services.duplicate_reply(user, topic, body, new_pictures) is None:
                raise services.PostRefused("body", wait)
            post = services.post_reply(user, topic, body, pictures=new_pictures)
        except services.PostRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            limits.count(user, "reply")
            _after_post(request, post)
            return redirect(post.get_absolute_url())
    return render(request, "community/reply.html", {"topic": topic, "form": form}, status=400)


@require_safe
@login_required
def quote(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply form starting with a quote of one message (the member's unfinished reply, if
    any, comes first). It posts to `reply` like the form under the conversation."""
    user = acting_user(request)
    post = quotes.get_quotable_for(user, pk)
    body = quotes.quote_markdown(post)
    draft = drafts.reply_draft(user, post.topic)
    if draft is not None and draft.body.strip():
        body = f"{draft.body.rstrip()}\n\n{body}"
    form = ReplyForm(initial={"body": body}, member=user)
    context = {"topic": post.topic, "form": form, "quoting": post}
    return render(request, "community/reply.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    post = services.get_post_for(user, pk)
    if not policies.can_edit(user, post):
        raise Http404
    form = EditForm(request.POST or None, initial={"body": post.raw})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(user, post, form.cleaned_data["body"])
        except services.PostRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(post.get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "community/post_edit.html", {"post": post, "form": form}, status=status)


@require_POST
@login_required
def react(request: HttpRequest, pk: int) -> HttpResponse:
    """Like or send support (or take it back). Without JavaScript: back to the message."""
    user = acting_user(request)
    post = services.get_post_for(user, pk)
    kind = request.POST.get("kind", "")
    if kind not in Reaction.Kind.values or not policies.can_react(user, post):
        raise Http404
    services.toggle_reaction(user, post, kind)
    if getattr(request, "htmx", False):
        post.refresh_from_db(fields=["like_count", "support_count"])
        decorate(user, [post])
        html = render_fragment(
            "community/_reactions.jinja", {"post": post, "may_react": True}, request
        )
        return HttpResponse(html)
    return redirect(post.get_absolute_url())


@require_POST
@login_required
def bookmark(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    post: Post = services.get_post_for(user, pk)
    if services.toggle_bookmark(user, post):
        messages.success(request, "Bookmarked. Find it again under \u201cYour bookmarks\u201d.")
    else:
        messages.success(request, "Bookmark removed.")
    if request.POST.get("from") == "bookmarks":
        return redirect("community:bookmarks")
    return redirect(post.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
@rate_limit("community_flag", key="user")
def flag(request: HttpRequest, pk: int) -> HttpResponse:
    """Flag a message for the moderators (from level 1)."""
    user = acting_user(request)
    post = services.get_post_for(user, pk)
    if not policies.can_flag(user) or post.author_id == user.pk:
        raise Http404
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.flag_post(user, post, form.cleaned_data["reason"], form.cleaned_data["note"])
        except services.PostRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(
                request, "Thank you. A moderator will look at it, and we'll tell you what happened."
            )
            return redirect(post.get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "community/flag.html", {"form": form, "post": post}, status=status)


@require_POST
@login_required
def topic_level(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose how much to hear about a conversation (watching, tracking, normal, muted)."""
    user = acting_user(request)
    topic = services.get_topic_for(user, pk)
    form = LevelForm(request.POST)
    if not form.is_valid():
        raise Http404
    level = NotificationLevel(form.cleaned_data["level"])
    topic_levels.set_level(user, topic, level)
    messages.success(request, f"Saved. {LEVEL_HELP[level]}")
    return redirect(f"{topic.get_absolute_url()}#notifications")
