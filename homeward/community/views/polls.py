"""Voting in a conversation's poll, and closing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from homeward.accounts.policies import acting_user
from homeward.community import polls, services
from homeward.core.ratelimit import rate_limit


@require_POST
@login_required
@rate_limit("community_vote", key="user")
def poll_vote(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    topic = services.get_topic_for(user, pk)
    raw = request.POST.getlist("option")
    if not all(value.isdigit() for value in raw):
        raise Http404
    try:
        polls.vote(user, topic, [int(value) for value in raw])
    except polls.VoteRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "Thank you: your vote is counted.")
    return redirect(f"{topic.get_absolute_url()}#poll")


@require_POST
@login_required
def poll_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    topic = services.get_topic_for(user, pk)
    polls.close_poll(user, topic)
    messages.success(request, "The poll is closed. Everyone can see the results.")
    return redirect(f"{topic.get_absolute_url()}#poll")
