"""Saving and discarding what a member is still writing. Without JavaScript the reply form's
"Save draft" button posts here and comes back to the conversation; the autosave script
(static/community/drafts.js) posts the same form in the background and gets 204 back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from homeward.accounts.policies import acting_user
from homeward.community import drafts, services
from homeward.community.forms import DraftForm
from homeward.core.ratelimit import rate_limit


def _in_background(request: HttpRequest) -> bool:
    return request.headers.get("X-Homeward-Autosave") == "1"


@require_POST
@login_required
@rate_limit("community_draft", key="user")
def reply_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep (or, with `discard`, remove) the member's unfinished reply in this conversation."""
    user = acting_user(request)
    topic = services.get_topic_for(user, pk)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Your draft is too long to keep.", status=400)
    if "discard" in request.POST:
        drafts.discard_reply_draft(user, topic)
        messages.success(request, "Your draft is discarded.")
    else:
        kept = drafts.save_reply_draft(user, topic, form.cleaned_data["body"])
        if _in_background(request):
            return HttpResponse(status=204)
        messages.success(request, "Your draft is saved." if kept else "Your draft was empty.")
    page = topic.page_count
    url = topic.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    return redirect(f"{url}#reply-title")


@require_POST
@login_required
@rate_limit("community_draft", key="user")
def topic_draft(request: HttpRequest, slug: str) -> HttpResponse:
    """Keep (or, with `discard`, remove) the member's unfinished new conversation here."""
    user = acting_user(request)
    category = services.get_category_for(user, slug)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Your draft is too long to keep.", status=400)
    if "discard" in request.POST:
        drafts.discard_topic_draft(user, category)
        messages.success(request, "Your draft is discarded.")
    else:
        data = form.cleaned_data
        kept = drafts.save_topic_draft(user, category, title=data["title"], body=data["body"])
        if _in_background(request):
            return HttpResponse(status=204)
        messages.success(request, "Your draft is saved." if kept else "Your draft was empty.")
    return redirect("community:topic_new", slug=category.slug)
