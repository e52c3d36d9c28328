"""Moderation: screening what members write against watched words (block, hold for approval,
flag, censor, crisis), members' flags with trust-weighted scores and auto-hiding, the one
review queue and what moderators do with each item, strikes with escalating suspensions,
silences, moderators' notes, and alerting whoever is on duty when someone may be at risk.
Every action is in the audit log; the flaggers and the author are told the outcome.

One module per noun: watched.py, support.py, flags.py, queue.py, penalties.py. Callers import
from here."""

from homeward.community.moderation._common import CENSORED
from homeward.community.moderation.flags import flag_post, report_message
from homeward.community.moderation.penalties import (
    MemberRecord,
    add_note,
    erase_for,
    export_for,
    get_member_for,
    lift_penalties,
    next_suspension_days,
    record_of,
    silence,
    strike,
    suspend,
)
from homeward.community.moderation.queue import (
    approve,
    delete,
    edit_and_approve,
    get_review_for,
    hide,
    pending_count,
    queue_for,
)
from homeward.community.moderation.support import (
    SupportLine,
    add_support_line,
    alert_on_duty,
    on_duty,
    remove_support_line,
    review_url,
    support_for,
    support_organisation,
)
from homeward.community.moderation.watched import (
    Screening,
    add_watched_word,
    after_post,
    needs_support,
    post_edited,
    remove_watched_word,
    screen,
    screen_title,
)

__all__ = [
    "CENSORED",
    "MemberRecord",
    "Screening",
    "SupportLine",
    "add_note",
    "add_support_line",
    "add_watched_word",
    "after_post",
    "alert_on_duty",
    "approve",
    "delete",
    "edit_and_approve",
    "erase_for",
    "export_for",
    "flag_post",
    "get_member_for",
    "get_review_for",
    "hide",
    "lift_penalties",
    "needs_support",
    "next_suspension_days",
    "on_duty",
    "pending_count",
    "post_edited",
    "queue_for",
    "record_of",
    "remove_support_line",
    "remove_watched_word",
    "report_message",
    "review_url",
    "screen",
    "screen_title",
    "silence",
    "strike",
    "support_for",
    "support_organisation",
    "suspend",
]
