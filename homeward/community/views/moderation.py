"""Staff and peer moderators: pin, close and reopen conversations, remove messages, and read a
message's earlier versions. Everyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from homeward.accounts.policies import acting_user, is_moderator
from homeward.community import services
from homeward.community.models import Post

View = Callable[..., HttpResponse]


def moderator_required(view: View) -> View:
    """Anonymous → sign in; anyone who may not moderate → 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@moderator_required
def topic_pin(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    topic = services.get_topic_for(user, pk)
    pinned = request.POST.get("pinned") == "1"
    services.set_pinned(user, topic, pinned=pinned)
    messages.success(request, "Pinned to the top of its category." if pinned else "Unpinned.")
    return redirect(topic)


@require_POST
@moderator_required
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
