"""The community's tables, one module per noun: the forum itself (forum.py), private
conversations (conversations.py), moderation (moderation.py), pictures in messages
(pictures.py) and the titles of linked pages (previews.py). Import from here."""

from homeward.community.models.conversations import (
    Conversation,
    ConversationMember,
    MemberIgnore,
    Message,
)
from homeward.community.models.drafts import Draft
from homeward.community.models.forum import (
    LEVEL_HELP,
    POSTS_PER_PAGE,
    TOPICS_PER_PAGE,
    Bookmark,
    Category,
    MemberStanding,
    NotificationLevel,
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
from homeward.community.models.pictures import PostPicture
from homeward.community.models.polls import MAX_OPTIONS, MIN_OPTIONS, Poll, PollBallot, PollOption
from homeward.community.models.previews import LinkPreview
from homeward.community.models.visits import StandingSnapshot

__all__ = [
    "LEVEL_HELP",
    "MAX_OPTIONS",
    "MIN_OPTIONS",
    "POSTS_PER_PAGE",
    "TOPICS_PER_PAGE",
    "Bookmark",
    "Category",
    "Conversation",
    "ConversationMember",
    "Draft",
    "Flag",
    "LinkPreview",
    "MemberIgnore",
    "MemberStanding",
    "Message",
    "ModeratorNote",
    "NotificationLevel",
    "Penalty",
    "Poll",
    "PollBallot",
    "PollOption",
    "Post",
    "PostPicture",
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
