"""The community's tables, one module per noun: the forum itself (forum.py), private
conversations (conversations.py) and moderation (moderation.py). Import from here."""

from homeward.community.models.conversations import (
    Conversation,
    ConversationMember,
    MemberIgnore,
    Message,
)
from homeward.community.models.forum import (
    POSTS_PER_PAGE,
    TOPICS_PER_PAGE,
    Bookmark,
    Category,
    MemberStanding,
    Post,
    PostRevision,
    Reaction,
    Topic,
    TopicUser,
    TrustLevel,
)
from homeward.community.models.moderation import (
    Flag,
    ModeratorNote,
    Penalty,
    ReviewItem,
    SupportContact,
    WatchedWord,
)
from homeward.community.models.visits import StandingSnapshot

__all__ = [
    "POSTS_PER_PAGE",
    "TOPICS_PER_PAGE",
    "Bookmark",
    "Category",
    "Conversation",
    "ConversationMember",
    "Flag",
    "MemberIgnore",
    "MemberStanding",
    "Message",
    "ModeratorNote",
    "Penalty",
    "Post",
    "PostRevision",
    "Reaction",
    "ReviewItem",
    "StandingSnapshot",
    "SupportContact",
    "Topic",
    "TopicUser",
    "TrustLevel",
    "WatchedWord",
]
