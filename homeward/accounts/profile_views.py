"""Profile pages (/u/<name>/), their pictures, and editing one's own profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from homeward.accounts import profiles
from homeward.accounts.policies import acting_user
from homeward.accounts.profile_forms import ProfileForm
from homeward.community.search import activity_of
from homeward.core.jinja2 import render_fragment
from homeward.core.ratelimit import rate_limit

MAX_PAGE = 50


@require_safe
def profile(request: HttpRequest, username: str) -> HttpResponse:
    """A member's profile as this person may see it. A visitor who may see none of it gets
    404, as for a name nobody has: the profile's existence is itself not for them."""
    member = profiles.find_member(username)
    shown = profiles.shown_to(request.user, member)
    if not request.user.is_authenticated and not shown.shows_anything:
        raise Http404
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404
    page = int(raw)
    posts, has_next = activity_of(request.user, member, page)
    context = {
        "shown": shown,
        "member": member,
        "posts": posts,
        "activity": render_fragment("accounts/_activity.jinja", {"posts": posts}),
        "page": page,
        "has_next": has_next,
    }
    return render(request, "accounts/profile.html", context)


@require_safe
def avatar(request: HttpRequest, username: str) -> HttpResponse:
    """The picture (a small JPEG), if this person may see it. Sent under no file name."""
    found = profiles.avatar_for(request.user, username)
    with found.avatar.open("rb") as picture:
        response = HttpResponse(picture.read(), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("profile", key="user")
def profile_edit(request: HttpRequest) -> HttpResponse:
    member = acting_user(request)
    current = profiles.profile_of(member)
    form = ProfileForm(request.POST or None, request.FILES or None, profile=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        profiles.update_profile(
            member,
            about=data["about"],
            relationship=data["relationship"],
            prisons=data["prisons"],
            avatar_visibility=data["avatar_visibility"],
            about_visibility=data["about_visibility"],
            relationship_visibility=data["relationship_visibility"],
            prisons_visibility=data["prisons_visibility"],
            new_avatar=form.processed_avatar,
            remove_avatar=bool(data.get("remove_avatar")),
        )
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile_edit")
    return render(request, "accounts/profile_edit.html", {"form": form, "member": member})
