"""Factories for tests and demo data: plain functions over the real services, with seeded
randomness, so the suite and `manage.py seed_demo` build the same kind of community."""

from __future__ import annotations

import random
from collections.abc import Sequence

from homeward.accounts.models import User
from homeward.community import policies, polls, services
from homeward.community.models import Category, MemberStanding, PollOption, Topic, TrustLevel
from homeward.community.services import CategorySpec

CATEGORIES = (
    CategorySpec(
        "Welcome and introductions",
        "welcome",
        "New here? Say hello, and tell us as much or as little as you like.",
        10,
    ),
    CategorySpec(
        "Visits and keeping in touch",
        "visits",
        "Booking visits, what the day is like, letters, calls and video calls.",
        20,
    ),
    CategorySpec(
        "Talking to children",
        "children",
        "What to say, what helped, and support for children and young people.",
        30,
    ),
    CategorySpec(
        "Money, housing and practical help",
        "practical",
        "Benefits, travel costs, bills, housing and where to get advice.",
        40,
    ),
    CategorySpec(
        "Looking after yourself",
        "wellbeing",
        "Your own wellbeing: what keeps you going on the hard days.",
        50,
    ),
    CategorySpec(
        "Staff room",
        "staff-room",
        "For staff only: notes between the people who look after the community.",
        90,
        staff_only=True,
    ),
)

# (category slug, title, opening message, replies)
_CONVERSATIONS = (
    (
        "welcome",
        "Hello from a new member",
        "Hi everyone. My partner was sentenced last month and I'm still finding my feet. "
        "I don't really know anyone else going through this, so it's good to find you all.",
        [
            "Welcome, you're in the right place. The first weeks are the hardest: be kind to "
            "yourself.",
            "Hello and welcome. Ask anything, there's no such thing as a silly question here.",
        ],
    ),
    (
        "visits",
        "First visit next week: what should I expect?",
        "I've booked my first visit for Saturday. What should I bring, and how early should I "
        "get there?",
        [
            "Get there 45 minutes early and bring your ID. Lockers usually take a pound coin.",
            "Wear something simple with no hood. The staff at the visitors' centre were lovely "
            "to me the first time, so do ask them anything.",
            "Thank you both, that really helps.",
        ],
    ),
    (
        "children",
        "How did you explain it to a six-year-old?",
        "My son keeps asking where his dad is. I don't want to lie to him, but I don't know "
        "what words to use.",
        [
            "We used a picture book the support worker gave us. Honest and simple worked best "
            "for us.",
            "Letting him draw pictures to send helped my daughter feel part of it.",
        ],
    ),
    (
        "practical",
        "Help with travel costs for visits",
        "Does anyone know if I can get help with the train fare? It's nearly forty pounds "
        "each time.",
        [
            "Look up the Help with Prison Visits scheme: if you get certain benefits they pay "
            "travel. The visiting guide here has a checker.",
        ],
    ),
    (
        "wellbeing",
        "Small things that got you through this week",
        "For me it was a walk by the sea on Sunday and a long chat with my sister. What about you?",
        [
            "A cup of tea in the garden and an early night. Little things count.",
            "Reading the messages here, honestly. It makes me feel less alone.",
        ],
    ),
    (
        "staff-room",
        "Rota for moderating over the holidays",
        "Can everyone add the days they can cover between Christmas and New Year?",
        ["I can do the 27th and 28th."],
    ),
)


# Demo polls, by the title of the conversation that carries one.
_POLLS = {
    "Small things that got you through this week": polls.PollSpec(
        "What helps you most on a hard day?",
        ["Talking to someone", "Getting outside", "A good night's sleep", "Keeping busy"],
        multiple=True,
    ),
}


def seed_community(members: Sequence[User], staff: Sequence[User], *, seed: int = 20261123) -> int:
    """Categories and a handful of warm conversations. Safe to run again: it adds nothing the
    second time. Returns how many conversations it created."""
    r = random.Random(seed)
    categories = {spec.slug: services.ensure_category(spec) for spec in CATEGORIES}
    if not members:
        return 0
    created = 0
    for slug, title, opening, replies in _CONVERSATIONS:
        category = categories[slug]
        if Topic.objects.filter(category=category, title=title).exists():
            continue
        writers = list(staff) if category.staff_only else list(members)
        if not writers:
            continue
        author = writers[created % len(writers)]
        try:
            topic = services.create_topic(
                author, category, title=title, body=opening, poll=_POLLS.get(title)
            )
        except services.PostRefused:
            continue  # a brand-new demo member has used up their first day
        created += 1
        if title in _POLLS:
            options = list(
                PollOption.objects.filter(poll__topic=topic).values_list("pk", flat=True)
            )
            for voter in writers:
                if policies.can_read(voter, category):
                    polls.vote(voter, topic, r.sample(options, r.randint(1, 2)))
        for text in replies:
            others = [w for w in writers if w.pk != author.pk] or writers
            try:
                services.post_reply(r.choice(others), topic, text)
            except services.PostRefused:
                continue
    if len(members) >= 3 and staff:
        seed_moderation(members[0], members[1], members[2], staff[0])
    return created


# Watched words for the demo: staff edit the list at /community/watched-words/.
WATCHED_WORDS = (
    ("casino*", "block"),
    ("loan shark*", "block"),
    ("my number is", "approval"),
    ("meet up", "approval"),
    ("solicitor*", "flag"),
    ("idiot*", "censor"),
    ("end it all", "crisis"),
    ("kill myself", "crisis"),
    ("want to die", "crisis"),
    ("no reason to live", "crisis"),
    ("can't go on", "crisis"),
    ("better off without me", "crisis"),
    ("hurt myself", "crisis"),
    ("suicid*", "crisis"),
)


def seed_moderation(family: User, trusted: User, moderator: User, worker: User) -> int:
    """The demo's watched words, two private conversations for the trusted member, and a few
    items waiting in the review queue (a flag, a message held for approval, a reported private
    message, and one that shows someone may be at risk). Safe to run again. Returns how many
    queue items it added."""
    from homeward.community import conversations, moderation
    from homeward.community.models import Conversation, ReviewItem, WatchedWord

    for word, action in WATCHED_WORDS:
        WatchedWord.objects.get_or_create(word=word, defaults={"action": action})
    if not policies.can_start_conversation(trusted):
        return 0  # the demo's trusted member is given level 2 first (seed_demo)
    if Conversation.objects.filter(created_by=trusted).exists():
        return 0
    first = conversations.start_conversation(
        trusted,
        [family],
        subject="Your first visit on Saturday",
        body="Hello! I saw your message about Saturday. I remember how nervous I was the first "
        "time. Would it help to talk through what happens when you arrive?",
    )
    conversations.send_message(family, first, "Yes please, that would really help. Thank you.")
    group = conversations.start_conversation(
        trusted,
        [moderator, worker],
        subject="Coffee morning on Thursday",
        body="Shall we tell new members about the coffee morning in the welcome category?",
    )
    conversations.send_message(moderator, group, "Good idea. I'll write something tonight.")
    before = ReviewItem.objects.pending().count()
    visits = Topic.objects.filter(category__slug="visits").first()
    if visits is not None:
        try:
            flagged = services.post_reply(
                family, visits, "The officer on the gate, Dave from Lewes, was so rude to me."
            )
            moderation.flag_post(trusted, flagged, "identifies", "Names a member of staff")
            services.post_reply(family, visits, "Could we meet up before the visit to talk?")
            services.post_reply(
                family,
                visits,
                "Some days I feel I can't go on. Sorry, I don't know who else to tell.",
            )
        except services.PostRefused:
            pass  # a brand-new demo member has used up their first day
    unkind = conversations.send_message(
        trusted, group, "Between us, some of the new ones ask such silly questions."
    )
    moderation.report_message(moderator, unkind, "unkind", "Not how we talk about members")
    return ReviewItem.objects.pending().count() - before


def make_category(
    name: str = "Visits and keeping in touch",
    *,
    slug: str | None = None,
    staff_only: bool = False,
    read_min_trust: int = TrustLevel.NEW,
    post_min_trust: int = TrustLevel.NEW,
) -> Category:
    return services.ensure_category(
        CategorySpec(
            name,
            slug or name.lower().replace(" ", "-")[:60],
            "",
            0,
            staff_only=staff_only,
            read_min_trust=read_min_trust,
            post_min_trust=post_min_trust,
        )
    )


def set_trust_level(user: User, level: int) -> MemberStanding:
    """Give a member a level directly (tests and demo data), as a moderator's lock would."""
    standing, _ = MemberStanding.objects.get_or_create(user=user)
    standing.trust_level = level
    standing.save(update_fields=["trust_level"])
    policies.forget_standing(user)
    return standing
