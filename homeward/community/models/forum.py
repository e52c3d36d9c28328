"""The peer forum: categories of conversations (topics), the posts in them, reactions and
bookmarks, what each member has read (TopicUser), and each member's standing (trust level and
the counters it is computed from). Counters here are kept by services.py, never aggregated on
pages. Flags, the review queue and private conversations live beside it (moderation.py,
conversations.py)."""

from __future__ import annotations

from functools import cache
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 30

_SLOT = "00000000"


@cache
def _url_pattern(name: str) -> str:
    """A one-argument URL as a format string, reversed once per process (lists link every row)."""
    return reverse(name, args=[_SLOT]).replace(_SLOT, "{}")


class TrustLevel(models.IntegerChoices):
    NEW = 0, "New member"
    BASIC = 1, "Member"
    MEMBER = 2, "Regular member"
    REGULAR = 3, "Trusted member"
    LEADER = 4, "Community leader"


class CategoryQuerySet(models.QuerySet["Category"]):
    def readable_at(self, trust_level: int, *, staff: bool) -> CategoryQuerySet:
        """Categories a person at this trust level (staff or not) may read."""
        qs = self.filter(read_min_trust__lte=trust_level)
        return qs if staff else qs.filter(staff_only=False)


class Category(models.Model):
    """A place for one kind of conversation, e.g. "Talking to children"."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Who may read and start or join conversations: a minimum trust level, and/or staff only.
    read_min_trust = models.PositiveSmallIntegerField(
        "lowest trust level that may read", choices=TrustLevel.choices, default=TrustLevel.NEW
    )
    post_min_trust = models.PositiveSmallIntegerField(
        "lowest trust level that may post", choices=TrustLevel.choices, default=TrustLevel.NEW
    )
    staff_only = models.BooleanField(
        default=False, help_text="Only staff may read or post here; others never see it."
    )
    approve_new_members = models.BooleanField(
        "new members' posts wait for a moderator",
        default=False,
        help_text="Messages from new members (level 0) wait in the review queue until a "
        "moderator approves them.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Kept by services.py, so the categories page reads them without counting.
    topic_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    latest_topic = models.ForeignKey(
        "Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[CategoryQuerySet] = CategoryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url_pattern("community:category").format(self.slug)


class TopicQuerySet(models.QuerySet["Topic"]):
    def live(self) -> TopicQuerySet:
        """Not removed, and not waiting for a moderator's approval."""
        return self.filter(deleted_at__isnull=True, awaiting_approval=False)

    def in_categories(self, categories: models.QuerySet[Category]) -> TopicQuerySet:
        return self.live().filter(category__in=categories)


class Topic(models.Model):
    """One conversation: a title, its first post and the replies."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(max_length=120)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_topics"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_posted_at = models.DateTimeField(default=timezone.now)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept by services.py in the same transaction as the change.
    highest_post_number = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)
    pinned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # A new member's conversation in a pre-moderated category, or one a watched word held back:
    # only its author and moderators see it until a moderator approves it.
    awaiting_approval = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects: ClassVar[TopicQuerySet] = TopicQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["-last_posted_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["category", "pinned_at", "last_posted_at"]),
            models.Index(fields=["author", "created_at"]),
            # The latest conversations anywhere (landing page): read in order, stop at five.
            models.Index(fields=["-last_posted_at", "-id"], name="community_topic_latest"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return _url_pattern("community:topic").format(self.pk)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_pinned(self) -> bool:
        return self.pinned_at is not None

    @property
    def page_count(self) -> int:
        return max(1, -(-self.highest_post_number // POSTS_PER_PAGE))

    def page_of(self, post_number: int) -> int:
        return max(1, -(-post_number // POSTS_PER_PAGE))


class PostQuerySet(models.QuerySet["Post"]):
    def live(self) -> PostQuerySet:
        return self.filter(deleted_at__isnull=True)


class Post(models.Model):
    """A member's message in a topic. `raw` is what they wrote (markdown); `cooked` is the safe
    HTML made from it at write time by core.markdown."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_posts"
    )
    post_number = models.PositiveIntegerField()
    raw = models.TextField()
    cooked = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    like_count = models.PositiveIntegerField(default=0)
    support_count = models.PositiveIntegerField(default=0)
    # Hidden by flags (the author may edit it, which sends it back to the queue) or by a
    # moderator; waiting for approval (only the author and moderators see it).
    hidden_at = models.DateTimeField(null=True, blank=True)
    awaiting_approval = models.BooleanField(default=False)

    objects: ClassVar[PostQuerySet] = PostQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["topic", "post_number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["topic", "post_number"], name="one_post_per_number"),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["author", "created_at"])]

    def __str__(self) -> str:
        return f"post {self.post_number} in topic {self.topic_id}"

    def get_absolute_url(self) -> str:
        page = -(-self.post_number // POSTS_PER_PAGE)
        base = _url_pattern("community:topic").format(self.topic_id)
        return f"{base}?page={page}#{self.anchor}" if page > 1 else f"{base}#{self.anchor}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def flag_url(self) -> str:
        return _url_pattern("community:flag").format(self.pk)

    # Links for each message, built without reverse() per row (a page has 20 messages).
    @property
    def react_url(self) -> str:
        return _url_pattern("community:react").format(self.pk)

    @property
    def bookmark_url(self) -> str:
        return _url_pattern("community:bookmark").format(self.pk)

    @property
    def edit_url(self) -> str:
        return _url_pattern("community:post_edit").format(self.pk)

    @property
    def delete_url(self) -> str:
        return _url_pattern("community:post_delete").format(self.pk)

    @property
    def history_url(self) -> str:
        return _url_pattern("community:post_history").format(self.pk)

    @property
    def link_url(self) -> str:
        """The message's lasting address: it finds the message wherever it is now."""
        return _url_pattern("community:post").format(self.pk)

    @property
    def quote_url(self) -> str:
        return _url_pattern("community:quote").format(self.pk)

    @property
    def anchor(self) -> str:
        return f"post-{self.post_number}"


class PostRevision(models.Model):
    """The text a post had before an edit: moderators can read a post's history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    raw = models.TextField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["post", "version"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["post", "version"], name="one_revision_per_version"),
        ]

    def __str__(self) -> str:
        return f"version {self.version} of post {self.post_id}"


class Reaction(models.Model):
    """ "Like" or "sending support": one of each per member per post."""

    class Kind(models.TextChoices):
        LIKE = "like", "Like"
        SUPPORT = "support", "Sending support"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on post {self.post_id}"


class Bookmark(models.Model):
    """A post a member wants to find again. Private to them."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_bookmarks"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["post", "user"], name="one_bookmark_per_post"),
        ]

    def __str__(self) -> str:
        return f"bookmark {self.pk}"


class NotificationLevel(models.IntegerChoices):
    """How much a member hears about one conversation (Discourse's four levels and values)."""

    MUTED = 0, "Muted"
    NORMAL = 1, "Normal"
    TRACKING = 2, "Tracking"
    WATCHING = 3, "Watching"


LEVEL_HELP = {
    NotificationLevel.WATCHING: "You'll be told about every new reply.",
    NotificationLevel.TRACKING: "You'll see how many replies are new, and be told when someone "
    "mentions you or replies to you.",
    NotificationLevel.NORMAL: "You'll be told only when someone mentions you or replies to you.",
    NotificationLevel.MUTED: "You'll never be told about this conversation, and it won't show "
    "in your latest conversations.",
}


class TopicUser(models.Model):
    """What one member has read of one topic, whether they posted in it, and how much they
    want to hear about it (their notification level)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="readers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_topics_read"
    )
    last_read_post_number = models.PositiveIntegerField(default=0)
    first_visited_at = models.DateTimeField(default=timezone.now)
    last_visited_at = models.DateTimeField(default=timezone.now)
    posted = models.BooleanField(default=False)
    replied = models.BooleanField(default=False)
    notification_level = models.PositiveSmallIntegerField(
        choices=NotificationLevel.choices, default=NotificationLevel.NORMAL
    )
    # Set once the member picks a level themselves: posting no longer changes it.
    level_chosen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["topic", "user"], name="one_topicuser_per_topic"),
        ]

    def __str__(self) -> str:
        return f"reading of topic {self.topic_id}"


class MemberStanding(models.Model):
    """A member's trust level and the counters it grows from (one row per member)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_standing"
    )
    trust_level = models.PositiveSmallIntegerField(
        choices=TrustLevel.choices, default=TrustLevel.NEW
    )
    # Set by a moderator: the level stays here whatever the counters say.
    locked_level = models.PositiveSmallIntegerField(
        choices=TrustLevel.choices, null=True, blank=True
    )
    topics_entered = models.PositiveIntegerField(default=0)
    posts_read = models.PositiveIntegerField(default=0)
    days_visited = models.PositiveIntegerField(default=0)
    time_read_seconds = models.PositiveIntegerField(default=0)
    likes_given = models.PositiveIntegerField(default=0)
    likes_received = models.PositiveIntegerField(default=0)
    topics_replied = models.PositiveIntegerField(default=0)
    topic_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_visit_date = models.DateField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    # Penalties in force (the record of each is a moderation.Penalty): read only, or no
    # community at all, until the time given.
    silenced_until = models.DateTimeField(null=True, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(trust_level__lte=4), name="trust_level_0_to_4"),
        ]

    def __str__(self) -> str:
        return f"standing of member {self.user_id}"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def is_silenced(self) -> bool:
        return self.is_suspended or (
            self.silenced_until is not None and self.silenced_until > timezone.now()
        )
