"""Polls in a conversation's first message: made with the conversation, voted on by members who
may read it (one ballot each, changeable until the poll closes), closed by its author or a
moderator, or by its closing time. Counts live on the options and the poll, kept here in the
same transaction as the vote, so a page reads them without counting. Ballots are members' data
(export and erasure below)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.http import Http404
from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.policies import is_moderator
from homeward.community import policies
from homeward.community.models import MAX_OPTIONS, MIN_OPTIONS, Poll, PollBallot, PollOption, Topic
from homeward.core import audit

Choice = PollBallot.options.through


class VoteRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PollSpec:
    question: str
    options: list[str]
    multiple: bool = False
    closes_at: datetime | None = None


def add_poll(topic: Topic, spec: PollSpec) -> Poll:
    """Attach a poll to a new conversation (create_topic calls this in its transaction)."""
    options = [" ".join(o.split()) for o in spec.options if o.strip()]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS or not spec.question.strip():
        raise ValueError("a poll needs a question and 2 to 10 options")
    poll = Poll.objects.create(
        topic=topic,
        question=" ".join(spec.question.split()),
        multiple=spec.multiple,
        closes_at=spec.closes_at,
    )
    PollOption.objects.bulk_create(
        [PollOption(poll=poll, position=i, text=text) for i, text in enumerate(options, 1)]
    )
    return poll


def _get_poll_for(user: User, topic: Topic) -> Poll:
    poll = Poll.objects.select_for_update().filter(topic=topic).first()
    if poll is None or not policies.can_read(user, topic.category):
        raise Http404
    return poll


@transaction.atomic
def vote(user: User, topic: Topic, option_ids: list[int]) -> None:
    """Record (or change) the member's choice. The same choice sent twice changes nothing."""
    poll = _get_poll_for(user, topic)
    if poll.is_closed():
        raise VoteRefused("This poll has closed, so votes can't change now.")
    chosen = set(
        PollOption.objects.filter(poll=poll, pk__in=option_ids).values_list("pk", flat=True)
    )
    if not chosen or len(chosen) != len(set(option_ids)):
        raise VoteRefused("Choose an answer." if not option_ids else "Choose one of the answers.")
    if not poll.multiple and len(chosen) > 1:
        raise VoteRefused("Choose only one answer.")
    ballot = PollBallot.objects.filter(poll=poll, user=user).first()
    before: set[int] = set()
    if ballot is None:
        ballot = PollBallot.objects.create(poll=poll, user=user)
        Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
    else:
        before = set(
            Choice.objects.filter(pollballot=ballot).values_list("polloption_id", flat=True)
        )
        ballot.updated_at = timezone.now()
        ballot.save(update_fields=["updated_at"])
    removed, added = before - chosen, chosen - before
    if removed:
        Choice.objects.filter(pollballot=ballot, polloption_id__in=removed).delete()
        PollOption.objects.filter(pk__in=removed, vote_count__gt=0).update(
            vote_count=F("vote_count") - 1
        )
    if added:
        Choice.objects.bulk_create([Choice(pollballot=ballot, polloption_id=o) for o in added])
        PollOption.objects.filter(pk__in=added).update(vote_count=F("vote_count") + 1)


def can_close(user: User, topic: Topic) -> bool:
    return topic.author_id == user.pk or is_moderator(user)


@transaction.atomic
def close_poll(user: User, topic: Topic) -> None:
    """End the voting (the conversation's author or a moderator); results show to everyone."""
    poll = _get_poll_for(user, topic)
    if not can_close(user, topic):
        raise Http404
    if poll.closed_at is not None:
        return
    poll.closed_at = timezone.now()
    poll.save(update_fields=["closed_at"])
    audit.record(user, "community.poll_closed", poll)


@dataclass
class PollView:
    poll: Poll
    options: list[PollOption]
    voted: bool
    closed: bool
    may_close: bool

    @property
    def show_results(self) -> bool:
        return self.voted or self.closed


def poll_view(user: User, topic: Topic, poll: Poll) -> PollView:
    """The poll's options with their counts and whether this member chose each (one query)."""
    mine = Choice.objects.filter(polloption_id=OuterRef("pk"), pollballot__user_id=user.pk)
    options: list[PollOption] = list(
        PollOption.objects.filter(poll=poll).annotate(mine=Exists(mine))
    )
    for option in options:
        option.poll = poll
    return PollView(
        poll=poll,
        options=options,
        voted=any(getattr(o, "mine", False) for o in options),
        closed=poll.is_closed(),
        may_close=can_close(user, topic),
    )


def export_for(user: User) -> dict[str, Any]:
    ballots = (
        PollBallot.objects.filter(user=user)
        .select_related("poll__topic")
        .prefetch_related("options")
        .order_by("pk")
    )
    return {
        "poll_votes": [
            {
                "conversation": b.poll.topic.title,
                "question": b.poll.question,
                "chose": [o.text for o in b.options.all()],
                "voted": b.updated_at.isoformat(),
            }
            for b in ballots
        ]
    }


def erase_for(user: User) -> None:
    """Take the member's votes out of the counts, then remove them."""
    for ballot in PollBallot.objects.filter(user=user).prefetch_related("options"):
        ids = [o.pk for o in ballot.options.all()]
        PollOption.objects.filter(pk__in=ids, vote_count__gt=0).update(
            vote_count=F("vote_count") - 1
        )
        Poll.objects.filter(pk=ballot.poll_id, voter_count__gt=0).update(
            voter_count=F("voter_count") - 1
        )
        ballot.delete()
