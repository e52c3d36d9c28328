"""Private conversations: the member's list (with what's new), starting one, reading and
replying, reporting a message, and the people they have muted or blocked. Everyone outside a
conversation gets 404; staff read one only after a message in it was reported (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from homeward.accounts.decorators import second_factor_redirect
from homeward.accounts.policies import acting_user, is_staff
from homeward.community import conversations, moderation, policies, services, trust
from homeward.community.forms import ConversationForm, FlagForm, IgnoreForm, MessageForm
from homeward.community.models import TrustLevel
from homeward.core.ratelimit import rate_limit


@require_safe
@login_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    context = {
        "seats": conversations.conversations_of(user),
        "may_start": policies.can_start_conversation(user),
    }
    return render(request, "community/conversations.html", context)


def _not_yet(request: HttpRequest, status: int) -> HttpResponse:
    """Why a member can't start a private conversation yet, and what's left to do."""
    user = acting_user(request)
    standing = services.ensure_standing(user)
    context = {
        "standing": standing,
        "silenced": policies.is_silenced(user),
        "requirements": [r for r in trust.requirements(standing, TrustLevel.MEMBER) if not r.met],
    }
    return render(request, "community/conversation_not_yet.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@rate_limit("community_conversation", key="user")
def conversation_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policies.can_start_conversation(user):
        return _not_yet(request, 200 if request.method == "GET" else 403)
    form = ConversationForm(request.POST or None, initial={"to": request.GET.get("to", "")})
    if request.method == "POST" and form.is_valid():
        people, unknown = conversations.find_members(form.cleaned_data["to"])
        if unknown:
            form.add_error("to", f"We couldn't find {', '.join(unknown)}. Check the spelling.")
        else:
            try:
                convo = conversations.start_conversation(
                    user,
                    people,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except services.PostRefused as refused:
                form.add_error(
                    refused.field if refused.field in form.fields else None, refused.message
                )
            else:
                messages.success(request, "Your message is sent.")
                return redirect(convo)
    status = 400 if form.errors else 200
    return render(request, "community/conversation_new.html", {"form": form}, status=status)


@require_safe
@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    if is_staff(user) and not conversations.takes_part(user, pk):
        # Staff reading a reported conversation pass the staff gate first (second factor).
        gate = second_factor_redirect(request)
        if gate is not None:
            return gate
    convo, seat = conversations.get_conversation_for(user, pk)
    items = conversations.messages_in(convo)
    last_read = seat.last_read_number if seat is not None else convo.message_count
    if seat is not None:
        conversations.mark_read(seat, convo.message_count)
    context = {
        "conversation": convo,
        "seat": seat,
        "items": items,
        "last_read": last_read,
        "people": conversations.participants(convo),
        "may_reply": seat is not None and not policies.is_silenced(user),
        "form": MessageForm(),
    }
    return render(request, "community/conversation.html", context)


@require_POST
@login_required
@rate_limit("community_message", key="user")
def conversation_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    convo, seat = conversations.get_conversation_for(user, pk)
    form = MessageForm(request.POST)
    if seat is not None and form.is_valid():
        try:
            message = conversations.send_message(user, convo, form.cleaned_data["body"])
        except services.PostRefused as refused:
            form.add_error("body", refused.message)
        else:
            return redirect(message.get_absolute_url())
    elif seat is None:
        form.add_error("body", "Only the people in this conversation can reply.")
    return render(
        request, "community/conversation_reply.html", {"conversation": convo, "form": form},
        status=400,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
@rate_limit("community_flag", key="user")
def message_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    message = conversations.get_message_for(user, pk)
    if message.author_id == user.pk:
        raise Http404
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report_message(
                user, message, form.cleaned_data["reason"], form.cleaned_data["note"]
            )
        except services.PostRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(
                request,
                "Thank you. A member of staff will read this conversation and decide what to do.",
            )
            return redirect(message.conversation)
    status = 400 if form.errors else 200
    context = {"form": form, "message": message, "staff_will_read": True}
    return render(request, "community/message_report.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def people(request: HttpRequest) -> HttpResponse:
    """The members this member has muted or blocked, and a form to add or remove one."""
    user = acting_user(request)
    form = IgnoreForm(request.POST or None, initial={"name": request.GET.get("name", "")})
    if request.method == "POST" and form.is_valid():
        found, _ = conversations.find_members(form.cleaned_data["name"].replace(",", " "))
        if not found:
            form.add_error("name", "We couldn't find a member with that name. Check the spelling.")
        else:
            kind = form.cleaned_data["kind"]
            try:
                conversations.set_ignore(user, found[0], None if kind == "none" else kind)
            except services.PostRefused as refused:
                form.add_error("name", refused.message)
            else:
                messages.success(request, "Saved. Only you can see this list.")
                return redirect("community:people")
    status = 400 if form.errors else 200
    context = {"form": form, "ignores": conversations.ignores_of(user)}
    return render(request, "community/people.html", context, status=status)
