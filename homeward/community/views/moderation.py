"""Staff and peer moderators: pin, close and reopen conversations, remove messages, read a
message's earlier versions, work the review queue, keep a member's record (notes, silences,
suspensions); staff manage the watched words. Everyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from homeward.accounts.decorators import second_factor_redirect, staff_required
from homeward.accounts.policies import acting_user, is_moderator, is_staff, staff_membership
from homeward.community import conf, levels, moderation, policies, services
from homeward.community.forms import (
    MemberActionForm,
    MoveForm,
    ReviewForm,
    SplitForm,
    SupportLineForm,
    WatchedWordForm,
)
from homeward.community.models import Post, WatchedWord

View = Callable[..., HttpResponse]


def moderator_required(view: View) -> View:
    """Anonymous → sign in; anyone who may not moderate → 404; staff pass the staff gate (a
    second factor in this session) first, as for every staff page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise Http404
        if is_staff(request.user):
            gate = second_factor_redirect(request)
            if gate is not None:
                return gate
        return view(request, *args, **kwargs)

    return wrapper


def leader_required(view: View) -> View:
    """Anonymous → sign in; below level 4 (and not a moderator) → 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policies.can_lead(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@leader_required
def topic_pin(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    topic = services.get_topic_for(user, pk)
    pinned = request.POST.get("pinned") == "1"
    services.set_pinned(user, topic, pinned=pinned)
    messages.success(request, "Pinned to the top of its category." if pinned else "Unpinned.")
    return redirect(topic)


@require_POST
@leader_required
def topic_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    topic = services.get_topic_for(user, pk)
    closed = request.POST.get("closed") == "1"
    services.set_closed(user, topic, closed=closed)
    messages.success(
        request, "Closed: no new replies." if closed else "Reopened: members can reply again."
    )
    return redirect(topic)


@require_POST
@moderator_required
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    post = services.get_post_for(user, pk)
    services.delete_post(user, post)
    if post.post_number == 1:
        messages.success(request, "The conversation has been removed.")
        return redirect(post.topic.category)
    messages.success(request, "The message has been removed.")
    return redirect(post.get_absolute_url())


@require_safe
@moderator_required
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    post: Post = services.get_post_for(user, pk)
    revisions = list(post.revisions.select_related("editor").order_by("-version"))
    return render(request, "community/post_history.html", {"post": post, "revisions": revisions})


@require_safe
@moderator_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Everything waiting for a moderator, most urgent first, then the longest waiting."""
    user = acting_user(request)
    items = moderation.queue_for(user)
    return render(request, "community/review_queue.html", {"items": items})


_DONE = {
    "approve": "Approved: the message stays.",
    "hide": "Hidden. Its author can edit it, and it will come back here.",
    "delete": "Removed.",
    "edit": "Edited and approved.",
    "silence": "The member can read but not post for now.",
    "suspend": "The member is suspended.",
}


@require_POST
@moderator_required
def review_act(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = moderation.get_review_for(user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an action (and for silencing, a number of days).")
        return redirect("community:review_queue")
    action, data = form.cleaned_data["action"], form.cleaned_data
    try:
        if action == "approve":
            moderation.approve(user, item)
        elif action == "hide":
            moderation.hide(user, item)
        elif action == "delete":
            moderation.delete(user, item)
        elif action == "edit":
            moderation.edit_and_approve(user, item, data["body"] or "")
        elif action == "silence":
            moderation.silence(user, item.author, days=data["days"] or 1, reason=data["reason"])
        else:
            moderation.suspend(user, item.author, days=data["days"], reason=data["reason"] or "")
    except services.PostRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _DONE[action])
    return redirect("community:review_queue")


@require_http_methods(["GET", "POST"])
@moderator_required
def member_record(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's moderation record: strikes, silences, suspensions and moderators' notes."""
    user = acting_user(request)
    member = moderation.get_member_for(user, pk)
    form = MemberActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action, text, days = (form.cleaned_data[k] for k in ("action", "text", "days"))
        try:
            if action == "note":
                moderation.add_note(user, member, text)
            elif action == "silence":
                moderation.silence(user, member, days=days or 1, reason=text)
            elif action == "suspend":
                moderation.suspend(user, member, days=days, reason=text)
            elif action == "level":
                levels.set_level(
                    user, member, int(form.cleaned_data["level"]), lock=form.cleaned_data["lock"]
                )
            else:
                moderation.lift_penalties(user, member)
        except services.PostRefused as refused:
            form.add_error("text", refused.message)
        else:
            messages.success(request, "Saved.")
            return redirect("community:member_record", pk=member.pk)
    context = {"record": moderation.record_of(member), "form": form}
    return render(
        request, "community/member_record.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@staff_required
def watched_words(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = WatchedWordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.add_watched_word(
                user, form.cleaned_data["word"], form.cleaned_data["action"]
            )
        except services.PostRefused as refused:
            form.add_error("word", refused.message)
        else:
            messages.success(request, "Added to the list.")
            return redirect("community:watched_words")
    context = {
        "form": form,
        "words": list(WatchedWord.objects.all()),
        "has_organisation": staff_membership(user) is not None,
    }
    return render(
        request, "community/watched_words.html", context, status=400 if form.errors else 200
    )


@require_POST
@staff_required
def watched_word_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    entry = WatchedWord.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404
    moderation.remove_watched_word(user, entry)
    messages.success(request, f"\u201c{entry.word}\u201d is no longer watched.")
    return redirect("community:watched_words")


@require_http_methods(["GET", "POST"])
@leader_required
def topic_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    topic = services.get_topic_for(user, pk)
    form = MoveForm(services.readable_categories(user), request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.move_topic(user, topic, form.cleaned_data["category"])
        messages.success(request, f"Moved to {form.cleaned_data['category'].name}.")
        return redirect(topic)
    status = 400 if form.errors else 200
    return render(
        request, "community/topic_move.html", {"topic": topic, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@staff_required
def support_lines(request: HttpRequest) -> HttpResponse:
    """The organisation's own support lines, shown to its members when what they write suggests
    they may be at risk (the national ones when the list is empty)."""
    user = acting_user(request)
    organisation = moderation.support_organisation(user)
    form = SupportLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.add_support_line(user, form.cleaned_data["name"], form.cleaned_data["how"])
        except services.PostRefused as refused:
            form.add_error("name", refused.message)
        else:
            messages.success(request, "Added. Your members will see it in the support box.")
            return redirect("community:support_lines")
    context = {
        "organisation": organisation,
        "lines": list(organisation.community_support.all()),
        "defaults": conf.DEFAULT_SUPPORT,
        "form": form,
    }
    return render(
        request, "community/support_lines.html", context, status=400 if form.errors else 200
    )


@require_POST
@staff_required
def support_line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    moderation.remove_support_line(acting_user(request), pk)
    messages.success(request, "Removed.")
    return redirect("community:support_lines")


@require_http_methods(["GET", "POST"])
@leader_required
def topic_split(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    topic = services.get_topic_for(user, pk)
    form = SplitForm(request.POST or None, initial={"from_number": request.GET.get("from", "")})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.split_topic(
                user,
                topic,
                from_number=form.cleaned_data["from_number"],
                title=form.cleaned_data["title"],
            )
        except services.PostRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, "Split: these messages are now their own conversation.")
            return redirect(new)
    status = 400 if form.errors else 200
    return render(
        request, "community/topic_split.html", {"topic": topic, "form": form}, status=status
    )
