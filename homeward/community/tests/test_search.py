"""Searching conversations: what is indexed, who finds what, the filters, excerpts, paging
and the page's query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from homeward.accounts.models import User
from homeward.community import factories, search, services
from homeward.community.models import Category, Post, Topic, TrustLevel
from homeward.core import search as core_search
from homeward.core.models import SearchDocument


def found(user: User, query: str, **filters: object) -> list[Post]:
    return list(search.find_posts(user, query, **filters))  # type: ignore[arg-type]


def titles(posts: list[Post]) -> list[str]:
    return [p.topic.title for p in posts]


@pytest.fixture
def worker_topic(worker_a: User, staff_room: Category) -> Topic:
    return services.create_topic(
        worker_a, staff_room, title="Holiday rota", body="Who can cover the visiting rota?"
    )


def test_a_new_conversation_is_found_by_title_and_text(family, topic):
    assert titles(found(family, "first visit")) == ["First visit next week"]
    assert titles(found(family, "bring")) == ["First visit next week"]


def test_a_reply_is_found_and_links_to_its_place(family, topic, regular, peer_moderator):
    reply = services.post_reply(peer_moderator, topic, "Bring photo ID and a little change.")
    posts = found(family, "photo change")
    assert posts == [reply]
    assert posts[0].get_absolute_url().endswith("#post-2")


def test_the_staff_room_never_reaches_a_family_member(
    family, trusted_family, worker_b, worker_topic
):
    assert found(family, "rota") == []
    assert found(trusted_family, "rota") == []
    assert titles(found(worker_b, "rota")) == ["Holiday rota"]


def test_a_category_above_a_members_level_is_not_searched(family, trusted_family, db):
    long_timers = factories.make_category(
        "Long-timers", slug="long-timers", read_min_trust=TrustLevel.MEMBER
    )
    factories.set_trust_level(trusted_family, TrustLevel.MEMBER)
    services.create_topic(trusted_family, long_timers, title="Ten years on", body="Still here.")
    assert found(family, "still") == []
    factories.set_trust_level(family, TrustLevel.MEMBER)
    family.refresh_from_db()
    assert titles(found(family, "still")) == ["Ten years on"]


def test_visitors_find_nothing(topic):
    from django.contrib.auth.models import AnonymousUser

    assert found(AnonymousUser(), "visit") == []  # type: ignore[arg-type]


def test_removed_messages_and_conversations_never_appear(family, topic, peer_moderator):
    reply = services.post_reply(peer_moderator, topic, "Lockers take a pound coin.")
    services.delete_post(peer_moderator, reply)
    assert found(family, "lockers") == []
    assert not SearchDocument.objects.filter(model="community.post", object_int=reply.pk).exists()
    services.delete_post(peer_moderator, topic.posts.get(post_number=1))
    assert found(family, "bring") == []


def test_hidden_and_held_messages_never_appear(family, topic, peer_moderator):
    reply = services.post_reply(peer_moderator, topic, "Lockers take a pound coin.")
    Post.objects.filter(pk=reply.pk).update(hidden_at=timezone.now())
    assert found(family, "lockers") == []
    Post.objects.filter(pk=reply.pk).update(hidden_at=None, awaiting_approval=True)
    assert found(family, "lockers") == []
    Post.objects.filter(pk=reply.pk).update(awaiting_approval=False)
    assert found(family, "lockers") == [reply]


def test_an_edit_changes_what_is_found(family, topic, regular):
    first = topic.posts.get(post_number=1)
    services.edit_post(regular, services.get_post_for(regular, first.pk), "Can children come too?")
    assert found(family, "bring") == []
    assert found(family, "children") == [first]


def test_filters_by_category_author_and_date(family, topic, regular, peer_moderator, db):
    other = factories.make_category("Wellbeing", slug="wellbeing")
    services.create_topic(peer_moderator, other, title="Visit days feel long", body="Any tips?")
    assert len(found(family, "visit")) == 2
    assert titles(found(family, "visit", category="wellbeing")) == ["Visit days feel long"]
    assert titles(found(family, "visit", author=regular.public_name.upper())) == [
        "First visit next week"
    ]
    today = timezone.localdate()
    assert len(found(family, "visit", since=today, until=today)) == 2
    assert found(family, "visit", until=today - timedelta(days=1)) == []
    assert found(family, "visit", since=today + timedelta(days=1)) == []


def test_reindex_rebuilds_the_community_index(family, topic, worker_topic):
    SearchDocument.objects.all().delete()
    assert found(family, "bring") == []
    core_search.reindex([Post])
    assert titles(found(family, "bring")) == ["First visit next week"]


# The page --------------------------------------------------------------------------------


def test_search_page_shows_marked_excerpts_and_escapes_everything(family, regular, visits):
    services.create_topic(
        regular, visits, title="<b>Bold</b> & brave", body="The <script>x</script> visiting hall"
    )
    page = sign_in(Client(), family).get("/search/", {"q": "visiting"}).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; brave" in page
    assert "<mark>visiting</mark>" in page
    assert "<script>x" not in page
    assert regular.public_name in page


def test_search_page_never_shows_the_staff_room_to_a_family(family, worker_a, worker_topic):
    assert "Holiday" not in sign_in(Client(), family).get("/search/?q=rota").content.decode()
    page = sign_in(Client(), worker_a).get("/search/?q=rota").content.decode()
    assert "Holiday <mark>rota</mark>" in page


def test_visitors_are_asked_to_sign_in(client, topic):
    response = client.get("/search/?q=visit")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "query", ['"', "AND", "NEAR(", "*", "-", ":", "😀", "x" * 5000, "visit OR 1=1 --"]
)
def test_any_words_get_a_page(family, topic, query):
    response = sign_in(Client(), family).get("/search/", {"q": query})
    assert response.status_code == 200


def test_wrong_dates_are_explained_and_the_words_kept(family, topic):
    page = sign_in(Client(), family).get(
        "/search/", {"q": "visit", "since": "2026-05-02", "until": "2026-05-01"}
    )
    text = page.content.decode()
    assert "Choose a date on or after" in text
    assert 'value="visit"' in text


def test_results_are_paged(family, regular, visits):
    factories.set_trust_level(regular, TrustLevel.LEADER)
    for n in range(search.RESULTS_PER_PAGE + 3):
        services.create_topic(regular, visits, title=f"Visiting question {n}", body="Parking?")
    client = sign_in(Client(), family)
    first = client.get("/search/?q=parking").content.decode()
    assert first.count('class="panel search-result"') == search.RESULTS_PER_PAGE
    assert ">More results</a>" in first
    second = client.get("/search/?q=parking&page=2").content.decode()
    assert second.count('class="panel search-result"') == 3
    assert ">More results</a>" not in second
    assert ">Previous results</a>" in second
    assert client.get("/search/?q=parking&page=0").status_code == 404
    assert client.get("/search/?q=parking&page=x").status_code == 404


def test_the_page_costs_the_same_queries_however_many_results(
    family, regular, peer_moderator, visits, django_assert_max_num_queries
):
    factories.set_trust_level(regular, TrustLevel.LEADER)
    client = sign_in(Client(), family)
    services.create_topic(regular, visits, title="Visiting one", body="Parking near the gate")
    client.get("/search/?q=parking")  # the family member's first visit
    with django_assert_max_num_queries(8) as few:
        client.get("/search/?q=parking&category=visits&author=Willow+Nan+3")
    for n in range(25):
        topic = services.create_topic(regular, visits, title=f"Visiting {n}", body="Parking?")
        services.post_reply(peer_moderator, topic, f"Parking is free on Sundays ({n}).")
    with django_assert_max_num_queries(len(few)) as many:
        page = client.get("/search/?q=parking&category=visits&author=Willow+Nan+3")
    assert page.content.decode().count('class="panel search-result"') == search.RESULTS_PER_PAGE
    assert len(many) == len(few)


def test_matched_title_words_are_marked_too(family, regular, visits):
    services.create_topic(regular, visits, title="Parking & <b>buses</b>", body="Where to park?")
    page = sign_in(Client(), family).get("/search/?q=parking").content.decode()
    assert "<mark>Parking</mark> &amp; &lt;b&gt;buses&lt;/b&gt;" in page


def test_searching_too_often_is_slowed_down(family, topic, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/m"}
    client = sign_in(Client(), family)
    assert client.get("/search/?q=visit").status_code == 200
    assert client.get("/search/?q=visit").status_code == 200
    assert client.get("/search/?q=visit").status_code == 429


def test_a_split_conversation_is_found_by_its_new_title(family, topic, peer_moderator):
    services.post_reply(peer_moderator, topic, "Lockers take a pound coin.")
    new = services.split_topic(peer_moderator, topic, from_number=2, title="Tips for the day")
    posts = found(family, "tips lockers")  # "tips" is only in the new title
    assert [p.topic_id for p in posts] == [new.pk]
    assert posts[0].post_number == 1


def test_the_search_query_reads_as_readable_posts_does(
    family, trusted_family, regular, peer_moderator, worker_a, platform_admin, visits, staff_room
):
    """Search checks permissions with a hand-written query (`_readable_among`, for speed);
    `readable_posts` is the ORM's statement of the same rule. Every kind of member, over every
    state a message and its conversation can be in, gets the same answer from both, and the
    filters keep what the ORM's filters keep."""
    long_timers = factories.make_category(
        "Long-timers", slug="long-timers", read_min_trust=TrustLevel.MEMBER
    )
    factories.set_trust_level(trusted_family, TrustLevel.MEMBER)
    posts = []
    for n, (category, writer) in enumerate(
        [(visits, regular), (staff_room, worker_a), (long_timers, trusted_family)]
    ):
        topic = services.create_topic(writer, category, title=f"Topic {n}", body="Opening words")
        posts.append(Post.objects.get(topic=topic, post_number=1))
        for state in ("live", "deleted", "hidden", "waiting"):
            reply = services.post_reply(writer, topic, f"A reply that is {state}")
            now = timezone.now()
            values = {"deleted": {"deleted_at": now}, "hidden": {"hidden_at": now}}
            Post.objects.filter(pk=reply.pk).update(
                **values.get(state, {}), awaiting_approval=state == "waiting"
            )
            posts.append(reply)
    for state in ("deleted", "waiting"):
        topic = services.create_topic(regular, visits, title=f"A {state} one", body="Words")
        Topic.objects.filter(pk=topic.pk).update(
            deleted_at=timezone.now() if state == "deleted" else None,
            awaiting_approval=state == "waiting",
        )
        posts.append(Post.objects.get(topic=topic, post_number=1))
    Post.objects.filter(pk=posts[1].pk).update(created_at=timezone.now() - timedelta(days=9))
    keys = [p.pk for p in posts]
    today = timezone.localdate()
    filters: list[dict[str, object]] = [
        {},
        {"category": "visits"},
        {"category": staff_room.slug},
        {"author": regular.display_name.upper()},
        {"author": worker_a.username},
        {"since": today - timedelta(days=3)},
        {"until": today - timedelta(days=3)},
        {"since": today, "until": today, "category": "visits"},
    ]
    people = [family, trusted_family, regular, peer_moderator, worker_a, platform_admin]
    for person in people:
        # The filter's choices, from the same hand-written condition.
        assert services.readable_category_names(person) == list(
            services.readable_categories(person).values_list("slug", "name")
        )
        for chosen in filters:
            expected = search.readable_posts(person).filter(pk__in=keys)
            if chosen.get("category"):
                expected = expected.filter(topic__category__slug=chosen["category"])
            if chosen.get("author"):
                name = str(chosen["author"])
                expected = expected.filter(
                    Q(author__display_name__iexact=name) | Q(author__username__iexact=name),
                    author__erased_at__isnull=True,
                )
            if chosen.get("since"):
                start = search._day_start(chosen["since"])  # type: ignore[arg-type]
                expected = expected.filter(created_at__gte=start)
            if chosen.get("until"):
                end = search._day_start(chosen["until"] + timedelta(days=1))  # type: ignore[operator, arg-type]
                expected = expected.filter(created_at__lt=end)
            got = search._readable_among(person, keys, **chosen)  # type: ignore[arg-type]
            assert {p.pk for p in got} == set(expected.values_list("pk", flat=True)), (
                person.username,
                chosen,
            )
    # The answers differ between people, so the comparison above says something.
    answers = {frozenset(p.pk for p in search._readable_among(x, keys)) for x in people}
    assert len(answers) >= 3


def test_empty_filters_made_once_are_the_filters_made_afresh(family, trusted_family, visits):
    """SearchFilters keeps the HTML of filters nobody filled in; it must be what rendering
    them afresh gives, for each kind of empty, and never stand in for filled-in ones."""
    search._EMPTY_FILTERS.clear()
    str(search.SearchFilters(None, user=family))  # as a template shows it
    assert len(search._EMPTY_FILTERS) == 1
    for data in (None, {"q": "visit"}, {"q": "visit", "category": "", "since": "", "author": ""}):
        for person in (family, trusted_family):
            form = search.SearchFilters(data, user=person)
            fresh = forms.Form.render(form)
            assert str(form) == fresh
            assert form.__html__() == fresh  # the second time, from what was kept
            assert form.render() == fresh
    filled = search.SearchFilters({"q": "visit", "author": "Willow"}, user=family)
    assert 'value="Willow"' in str(filled)
    chosen = search.SearchFilters({"q": "visit", "category": "visits"}, user=family)
    assert '<option value="visits" selected>' in str(chosen)
