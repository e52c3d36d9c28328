"""Watched words: screening what members write (block, hold for approval, flag, censor,
crisis) and what follows a new or edited message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.http import Http404

from homeward.accounts.models import User
from homeward.accounts.policies import is_moderator
from homeward.community import policies
from homeward.community.models import (
    Category,
    Post,
    ReviewItem,
    TrustLevel,
    WatchedWord,
)
from homeward.community.moderation._common import CENSORED, _refused
from homeward.community.moderation.flags import _open_review
from homeward.community.moderation.support import alert_on_duty
from homeward.core import audit

# Watched words --------------------------------------------------------------------------------


def _pattern(word: str) -> str:
    """A watched word as a regular expression: whole words, any case, * for any ending, and
    any run of spaces between the words of a phrase."""
    # Phones type curly apostrophes ("can\u2019t"): either kind matches.
    parts = [
        re.sub("['\u2019]", "['\u2019]", re.escape(p).replace(r"\*", r"\w*")) for p in word.split()
    ]
    return r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"


@dataclass
class Screening:
    """What the watched words (and the member's level) say about a new or edited message."""

    text: str  # the text to publish (censored words replaced)
    hold: bool = False  # wait for a moderator's approval
    flag_words: list[str] = field(default_factory=list)
    crisis: bool = False


def screen(author: User, raw: str, category: Category | None = None) -> Screening:
    """Check a message before it is saved. Blocked words refuse it with a plain message."""
    result = Screening(text=raw)
    words = list(WatchedWord.objects.values_list("word", "action"))
    blocked = []
    for word, action in words:
        regex = re.compile(_pattern(word), re.IGNORECASE)
        if not regex.search(raw):
            continue
        if action == WatchedWord.Action.BLOCK:
            blocked.append(word)
        elif action == WatchedWord.Action.APPROVAL:
            result.hold = True
        elif action == WatchedWord.Action.FLAG:
            result.flag_words.append(word)
        elif action == WatchedWord.Action.CENSOR:
            result.text = regex.sub(CENSORED, result.text)
        elif action == WatchedWord.Action.CRISIS:
            result.crisis = True
    if blocked:
        raise _refused(
            "body",
            f"Your message can't be posted because it contains \u201c{blocked[0]}\u201d. "
            "Please reword it: everything else you wrote is still here.",
        )
    if (
        category is not None
        and category.approve_new_members
        and policies.trust_level(author) < TrustLevel.BASIC
    ):
        result.hold = True
    if is_moderator(author):
        result.hold = False
        result.flag_words = []
    return result


def screen_title(title: str) -> str:
    """A linked page's title (fetched from another website, previews.py) as it may be shown in
    place of the address: censored words replaced; nothing at all when it has a word that would
    block, hold or flag a member's message (the reader sees the address the member wrote). A
    crisis word leaves it be: it is someone else's page, not a member in need."""
    for word, action in WatchedWord.objects.values_list("word", "action"):
        regex = re.compile(_pattern(word), re.IGNORECASE)
        if not regex.search(title):
            continue
        if action in (
            WatchedWord.Action.BLOCK,
            WatchedWord.Action.APPROVAL,
            WatchedWord.Action.FLAG,
        ):
            return ""
        if action == WatchedWord.Action.CENSOR:
            title = regex.sub(CENSORED, title)
    return title


def after_post(author: User, post: Post, screening: Screening) -> None:
    """Put a new or edited message in the queue when the screening asks for it, and alert the
    people on duty when it suggests someone may be at risk."""
    if screening.hold:
        _open_review(post=post, kind=ReviewItem.Kind.APPROVAL, author=author)
        audit.record(None, "community.post_held", post)
    if screening.flag_words:
        _open_review(post=post, kind=ReviewItem.Kind.FLAGGED, author=author)
        audit.record(None, "community.post_flagged_by_watched_word", post)
    if screening.crisis:
        item = _open_review(post=post, kind=ReviewItem.Kind.CRISIS, author=author)
        audit.record(None, "community.crisis_signposted", post, review=item.pk)
        alert_on_duty(author, item, post.get_absolute_url())


@transaction.atomic
def add_watched_word(actor: User, word: str, action: str) -> WatchedWord:
    if not policies.can_manage_watched_words(actor):
        raise Http404
    word = " ".join(word.lower().split())
    if not word or word.strip("*") == "":
        raise _refused("word", "Type a word or phrase to watch for.")
    if WatchedWord.objects.filter(word=word).exists():
        raise _refused("word", f"\u201c{word}\u201d is already on the list.")
    entry = WatchedWord.objects.create(word=word, action=action, created_by=actor)
    audit.record(actor, "community.watched_word_added", entry, word_action=action)
    return entry


@transaction.atomic
def remove_watched_word(actor: User, entry: WatchedWord) -> None:
    if not policies.can_manage_watched_words(actor):
        raise Http404
    audit.record(actor, "community.watched_word_removed", entry, word_action=entry.action)
    entry.delete()


def post_edited(editor: User, post: Post, screening: Screening) -> None:
    """After an author edits a message: a message hidden by flags comes back, and goes to the
    queue again; a new match with the watched words is handled as for a new message."""
    if post.is_hidden and editor.pk == post.author_id:
        Post.objects.filter(pk=post.pk).update(hidden_at=None)
        post.hidden_at = None
        _open_review(post=post, kind=ReviewItem.Kind.FLAGGED, author=post.author)
        audit.record(editor, "community.post_unhidden_by_edit", post)
    after_post(editor, post, screening)


def needs_support(post: Post) -> bool:
    """Whether this new message matched a crisis word (its author should see the support box)."""
    return ReviewItem.objects.filter(
        post=post, kind=ReviewItem.Kind.CRISIS, status=ReviewItem.Status.PENDING
    ).exists()
