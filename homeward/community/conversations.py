"""Private conversations: starting one, replying, reading (with unread markers), muting and
blocking. Reporting a message goes through moderation.py. Every write runs in one transaction;
nobody outside a conversation learns it exists (get_conversation_for answers 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.policies import is_moderator
from homeward.community import conf, policies
from homeward.community.models import Conversation, ConversationMember, MemberIgnore, Message
from homeward.community.services import PostRefused, ensure_standing
from homeward.core import audit
from homeward.core.markdown import render_markdown
from homeward.core.notifications import notify

DUPLICATE_WINDOW = timedelta(minutes=10)


# Who ------------------------------------------------------------------------------------------


def find_members(names: str) -> tuple[list[User], list[str]]:
    """Members named in a comma-separated list (display name or username, any case), and the
    names that matched nobody."""
    wanted = [n.strip().lstrip("@").strip() for n in names.split(",")]
    wanted = [n for n in wanted if n]
    lowered = {n.lower() for n in wanted}
    found: dict[str, User] = {}
    matches: Any = User.objects.annotate(
        lname=Lower("username"), ldisplay=Lower("display_name")
    ).filter(Q(lname__in=lowered) | Q(ldisplay__in=lowered), is_active=True, erased_at__isnull=True)
    for user in matches:
        found.setdefault(user.username.lower(), user)
        if user.display_name:
            found.setdefault(user.display_name.lower(), user)
    users: dict[int, User] = {}
    unknown = []
    for name in wanted:
        user = found.get(name.lower())
        if user is None:
            unknown.append(name)
        else:
            users[user.pk] = user
    return list(users.values()), unknown


def blocked_by(user_ids: list[int], other: User) -> set[int]:
    """Which of these members have blocked `other`."""
    return set(
        MemberIgnore.objects.filter(
            user_id__in=user_ids, other=other, kind=MemberIgnore.Kind.BLOCK
        ).values_list("user_id", flat=True)
    )


def ignores_of(user: User) -> list[MemberIgnore]:
    return list(
        MemberIgnore.objects.filter(user=user).select_related("other").order_by("kind", "-id")
    )


@transaction.atomic
def set_ignore(user: User, other: User, kind: str | None) -> None:
    """Mute or block someone (kind "mute" / "block"), or stop (None)."""
    if other.pk == user.pk:
        raise PostRefused("name", "You can't mute or block yourself.")
    MemberIgnore.objects.filter(user=user, other=other).delete()
    if kind is not None:
        MemberIgnore.objects.create(user=user, other=other, kind=MemberIgnore.Kind(kind))


# Reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """A conversation as one member sees it in their list."""

    conversation: Conversation
    unread: int
    others: list[str]


def conversations_of(user: User) -> list[Seat]:
    """The member's conversations, newest first, with how many messages are new (two queries)."""
    seats = list(
        ConversationMember.objects.filter(user=user, left_at__isnull=True)
        .select_related("conversation")
        .order_by("-conversation__last_message_at", "-conversation_id")[:200]
    )
    ids = [s.conversation_id for s in seats]
    names: dict[int, list[str]] = {i: [] for i in ids}
    for member in (
        ConversationMember.objects.filter(conversation_id__in=ids)
        .exclude(user=user)
        .select_related("user")
        .order_by("pk")
    ):
        names[member.conversation_id].append(member.user.public_name)
    return [
        Seat(
            s.conversation,
            max(0, s.conversation.message_count - s.last_read_number),
            names[s.conversation_id],
        )
        for s in seats
    ]


def unread_count(user: User) -> int:
    """How many of the member's conversations have something new (one query)."""
    return ConversationMember.objects.filter(
        user=user, left_at__isnull=True, conversation__message_count__gt=F("last_read_number")
    ).count()


def takes_part(user: User, pk: int) -> bool:
    return ConversationMember.objects.filter(
        conversation_id=pk, user=user, left_at__isnull=True
    ).exists()


def get_conversation_for(user: User, pk: int) -> tuple[Conversation, ConversationMember | None]:
    """The conversation and the member's seat in it. Staff may read one (without a seat) only
    once a message in it has been reported, and every such read is in the audit log. Anyone
    else: 404, whether or not it exists."""
    conversation = Conversation.objects.filter(pk=pk).first()
    if conversation is None:
        raise Http404
    seat = ConversationMember.objects.filter(
        conversation=conversation, user=user, left_at__isnull=True
    ).first()
    if seat is not None:
        return conversation, seat
    if conversation.reported_at is not None and policies.can_read_reported_conversations(user):
        audit.record(user, "community.reported_conversation_read", conversation)
        return conversation, None
    raise Http404


def messages_in(conversation: Conversation) -> list[Message]:
    messages = list(
        Message.objects.filter(conversation=conversation)
        .select_related("author")
        .order_by("number")[:500]
    )
    for message in messages:
        message.conversation = conversation
    return messages


def participants(conversation: Conversation) -> list[User]:
    return [
        m.user
        for m in ConversationMember.objects.filter(conversation=conversation, left_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    ]


def mark_read(seat: ConversationMember, number: int) -> None:
    if number > seat.last_read_number:
        ConversationMember.objects.filter(pk=seat.pk, last_read_number__lt=number).update(
            last_read_number=number
        )
        seat.last_read_number = number


def get_message_for(user: User, pk: int) -> Message:
    """A message in a conversation this member takes part in; otherwise 404."""
    message = (
        Message.objects.select_related("conversation", "author")
        .filter(
            pk=pk,
            deleted_at__isnull=True,
            conversation__members__user=user,
            conversation__members__left_at__isnull=True,
        )
        .first()
    )
    if message is None:
        raise Http404
    return message


# Writing --------------------------------------------------------------------------------------


def _check_may_write(author: User) -> None:
    if not policies.can_start_conversation(author):
        raise PostRefused("body", "You can't send private messages at the moment.")


def _cooked(raw: str) -> tuple[str, str]:
    raw = raw.strip()
    if not raw:
        raise PostRefused("body", "Write your message.")
    return raw, str(render_markdown(raw))


def _tell(author: User, conversation: Conversation, message: Message, others: list[User]) -> None:
    muted = policies.ignoring([u.pk for u in others], author)
    for user in others:
        if user.pk in muted or not user.is_active:
            continue
        notify(
            user,
            kind="community.private_message",
            title=f"{author.public_name} sent you a private message",
            url=message.get_absolute_url(),
        )


@transaction.atomic
def start_conversation(
    author: User, recipients: list[User], *, subject: str, body: str
) -> Conversation:
    _check_may_write(author)
    recipients = [u for u in recipients if u.pk != author.pk]
    if not recipients:
        raise PostRefused("to", "Add at least one member to talk to (not yourself).")
    most = conf.max_conversation_members()
    if len(recipients) + 1 > most:
        raise PostRefused("to", f"A private conversation can have up to {most} people in it.")
    # Blocks keep members from each other; moderators and staff can always reach a member.
    refused = set() if is_moderator(author) else blocked_by([u.pk for u in recipients], author)
    if refused:
        names = ", ".join(u.public_name for u in recipients if u.pk in refused)
        raise PostRefused("to", f"You can't send private messages to {names}.")
    subject = " ".join(subject.split())
    if not subject:
        raise PostRefused("subject", "Give your conversation a subject.")
    raw, cooked = _cooked(body)
    ensure_standing(author)
    now = timezone.now()
    conversation = Conversation.objects.create(
        subject=subject, created_by=author, created_at=now, last_message_at=now, message_count=1
    )
    ConversationMember.objects.bulk_create(
        [ConversationMember(conversation=conversation, user=author, last_read_number=1)]
        + [ConversationMember(conversation=conversation, user=u) for u in recipients]
    )
    message = Message.objects.create(
        conversation=conversation, author=author, number=1, raw=raw, cooked=cooked, created_at=now
    )
    audit.record(author, "community.conversation_started", conversation, people=len(recipients) + 1)
    _tell(author, conversation, message, recipients)
    return conversation


@transaction.atomic
def send_message(author: User, conversation: Conversation, body: str) -> Message:
    """Reply in a conversation. Sent twice (a double tap), it is kept once."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    seat = ConversationMember.objects.filter(
        conversation=conversation, user=author, left_at__isnull=True
    ).first()
    if seat is None:
        raise Http404
    if policies.is_silenced(author):  # anyone in a conversation may reply, whatever their level
        raise PostRefused("body", "You can't send private messages at the moment.")
    raw, cooked = _cooked(body)
    others = [u for u in participants(conversation) if u.pk != author.pk]
    if not is_moderator(author) and blocked_by([u.pk for u in others], author):
        raise PostRefused(
            "body", "Someone in this conversation has chosen not to receive your messages."
        )
    recent = (
        Message.objects.filter(
            conversation=conversation,
            author=author,
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        )
        .order_by("-number")
        .first()
    )
    if recent is not None and recent.raw == raw:
        return recent
    now = timezone.now()
    number = conversation.message_count + 1
    message = Message.objects.create(
        conversation=conversation, author=author, number=number, raw=raw, cooked=cooked,
        created_at=now,
    )  # fmt: skip
    conversation.message_count = number
    conversation.last_message_at = now
    conversation.save(update_fields=["message_count", "last_message_at"])
    mark_read(seat, number)
    _tell(author, conversation, message, others)
    return message


@transaction.atomic
def leave_conversation(user: User, conversation: Conversation) -> None:
    updated = ConversationMember.objects.filter(
        conversation=conversation, user=user, left_at__isnull=True
    ).update(left_at=timezone.now())
    if not updated:
        raise Http404


# Data rights ---------------------------------------------------------------------------------


def export_for(user: User) -> dict[str, Any]:
    seats = ConversationMember.objects.filter(user=user).select_related("conversation")
    return {
        "private_conversations": [
            {
                "subject": s.conversation.subject,
                "joined": s.joined_at.isoformat(),
                "left": s.left_at.isoformat() if s.left_at else None,
            }
            for s in seats.order_by("pk")
        ],
        "private_messages": [
            {
                "conversation": m.conversation.subject,
                "number": m.number,
                "text": m.raw,
                "written": m.created_at.isoformat(),
            }
            for m in Message.objects.filter(author=user)
            .select_related("conversation")
            .order_by("pk")
        ],
        "muted_and_blocked": [
            {"member": i.other.public_name, "kind": i.get_kind_display()}
            for i in MemberIgnore.objects.filter(user=user).select_related("other").order_by("pk")
        ],
    }


def erase_for(user: User) -> None:
    """Private messages are personal to the people in the conversation: the member's own
    messages are removed (their place kept, shown as removed), their seats and their mutes and
    blocks go. Mutes and blocks others set on them go too (nothing left to point at)."""
    Message.objects.filter(author=user).update(raw="", cooked="", deleted_at=timezone.now())
    ConversationMember.objects.filter(user=user).delete()
    MemberIgnore.objects.filter(Q(user=user) | Q(other=user)).delete()
