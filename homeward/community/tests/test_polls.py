"""Polls: made on the new-conversation form, one ballot per member (changeable until the poll
closes), results after voting or closing, closed by the author or a moderator, counts kept
without counting on the page, and ballots in the member's export and erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import sign_in
from homeward.community import polls, services
from homeward.community.models import Poll, PollBallot, PollOption, Topic
from homeward.core import datarights

ANSWERS = "Morning\nAfternoon\nEvening"


def _make(author, category, *, multiple=False, closes_at=None) -> Topic:
    return services.create_topic(
        author,
        category,
        title="When do you visit?",
        body="Tell us",
        poll=polls.PollSpec(
            "Which visit slot suits you?",
            ["Morning", "Afternoon", "Evening"],
            multiple=multiple,
            closes_at=closes_at,
        ),
    )


def _options(topic: Topic) -> dict[str, PollOption]:
    return {o.text: o for o in PollOption.objects.filter(poll__topic=topic)}


def _counts(topic: Topic) -> tuple[int, dict[str, int]]:
    poll = Poll.objects.get(topic=topic)
    return poll.voter_count, {o.text: o.vote_count for o in poll.options.all()}


def test_the_new_conversation_form_makes_a_poll(regular, visits):
    client = sign_in(Client(), regular)
    response = client.post(
        "/community/c/visits/new/",
        {
            "title": "When do you visit?",
            "body": "Tell us",
            "poll_question": "Which slot?",
            "poll_options": "Morning\n\n  Afternoon  \n",
            "poll_multiple": "on",
        },
    )
    assert response.status_code == 302
    poll = Poll.objects.get()
    assert (poll.question, poll.multiple, poll.closes_at) == ("Which slot?", True, None)
    assert [o.text for o in poll.options.all()] == ["Morning", "Afternoon"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"poll_question": "Which?", "poll_options": "Only one"}, "poll_options", "at least 2"),
        (
            {"poll_question": "Which?", "poll_options": "\n".join(map(str, range(11)))},
            "poll_options",
            "at most 10",
        ),
        ({"poll_question": "Which?", "poll_options": "Yes\nyes"}, "poll_options", "different"),
        ({"poll_options": ANSWERS}, "poll_question", "Add the question"),
        (
            {"poll_question": "Which?", "poll_options": ANSWERS, "poll_closes": "2000-01-01T10:00"},
            "poll_closes",
            "future",
        ),
        (
            {"poll_question": "Which?", "poll_options": ANSWERS, "poll_closes": "soon"},
            "poll_closes",
            "date and time",
        ),
    ],
)
def test_a_bad_poll_is_explained_beside_its_field_and_nothing_is_made(
    regular, visits, fields, field, message
):
    data = {"title": "When do you visit?", "body": "Tell us", **fields}
    response = sign_in(Client(), regular).post("/community/c/visits/new/", data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert 'value="When do you visit?"' in response.content.decode()
    assert not Topic.objects.exists()
    assert not Poll.objects.exists()


def test_a_conversation_without_a_poll_has_none(regular, visits):
    client = sign_in(Client(), regular)
    client.post("/community/c/visits/new/", {"title": "Just talking", "body": "Hello"})
    assert Topic.objects.count() == 1
    assert not Poll.objects.exists()


def test_a_vote_is_counted_once_and_can_be_changed(family, regular, visits):
    topic = _make(regular, visits)
    options = _options(topic)
    client = sign_in(Client(), family)
    for _ in range(2):  # a double click
        response = client.post(
            f"/community/t/{topic.pk}/poll/vote/", {"option": options["Morning"].pk}
        )
        assert response.status_code == 302
    assert _counts(topic) == (1, {"Morning": 1, "Afternoon": 0, "Evening": 0})
    client.post(f"/community/t/{topic.pk}/poll/vote/", {"option": options["Evening"].pk})
    assert _counts(topic) == (1, {"Morning": 0, "Afternoon": 0, "Evening": 1})
    assert PollBallot.objects.count() == 1


def test_one_ballot_per_member_is_a_database_rule(family, regular, visits):
    topic = _make(regular, visits)
    polls.vote(family, topic, [_options(topic)["Morning"].pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        PollBallot.objects.create(poll=Poll.objects.get(topic=topic), user=family)


def test_single_choice_takes_one_answer_and_multiple_takes_several(family, regular, visits):
    single = _make(regular, visits)
    ids = [o.pk for o in _options(single).values()]
    with pytest.raises(polls.VoteRefused, match="only one"):
        polls.vote(family, single, ids[:2])
    multi = services.create_topic(
        regular,
        visits,
        title="Which days?",
        body="Tell us",
        poll=polls.PollSpec("Which days?", ["Sat", "Sun"], multiple=True),
    )
    polls.vote(family, multi, [o.pk for o in _options(multi).values()])
    assert _counts(multi) == (1, {"Sat": 1, "Sun": 1})


def test_an_empty_or_foreign_choice_is_refused(family, regular, visits):
    topic = _make(regular, visits)
    other = services.create_topic(
        regular, visits, title="Another one", body="x", poll=polls.PollSpec("Q?", ["A", "B"])
    )
    client = sign_in(Client(), family)
    client.post(f"/community/t/{topic.pk}/poll/vote/", {})
    foreign = PollOption.objects.filter(poll__topic=other).first()
    response = client.post(
        f"/community/t/{topic.pk}/poll/vote/", {"option": foreign.pk}, follow=True
    )
    assert "Choose one of the answers." in response.content.decode()
    assert client.post(f"/community/t/{topic.pk}/poll/vote/", {"option": "x"}).status_code == 404
    assert not PollBallot.objects.exists()


def test_results_show_after_voting_and_not_before(family, regular, visits):
    topic = _make(regular, visits)
    client = sign_in(Client(), family)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Which visit slot suits you?" in page
    assert "0 votes (0%)" not in page
    assert ">Vote</button>" in page
    polls.vote(family, topic, [_options(topic)["Afternoon"].pk])
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "1 vote (100%)" in page
    assert "Your choice" in page
    assert "Change my vote" in page


def test_the_author_or_a_moderator_closes_the_poll_and_others_cannot(
    family, regular, peer_moderator, visits
):
    topic = _make(regular, visits)
    assert sign_in(Client(), family).post(f"/community/t/{topic.pk}/poll/close/").status_code == 404
    assert Poll.objects.get(topic=topic).closed_at is None
    assert (
        sign_in(Client(), regular).post(f"/community/t/{topic.pk}/poll/close/").status_code == 302
    )
    assert Poll.objects.get(topic=topic).closed_at is not None
    again = _make(regular, visits)
    polls.close_poll(peer_moderator, again)
    assert Poll.objects.get(topic=again).closed_at is not None


def test_a_closed_poll_takes_no_votes_and_shows_results_to_all(family, regular, visits):
    topic = _make(regular, visits, closes_at=timezone.now() + timedelta(days=1))
    polls.vote(regular, topic, [_options(topic)["Morning"].pk])
    Poll.objects.filter(topic=topic).update(closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(polls.VoteRefused, match="closed"):
        polls.vote(family, topic, [_options(topic)["Evening"].pk])
    page = sign_in(Client(), family).get(topic.get_absolute_url()).content.decode()
    assert "This poll has closed." in page
    assert "1 vote (100%)" in page
    assert ">Vote</button>" not in page


def test_a_poll_in_a_category_the_member_cannot_read_is_not_found(family, worker_a, staff_room):
    topic = _make(worker_a, staff_room)
    client = sign_in(Client(), family)
    option = PollOption.objects.filter(poll__topic=topic).first()
    assert (
        client.post(f"/community/t/{topic.pk}/poll/vote/", {"option": option.pk}).status_code == 404
    )
    assert not PollBallot.objects.exists()


def test_the_poll_costs_one_query_whatever_the_number_of_votes(
    family, regular, peer_moderator, visits
):
    topic = _make(regular, visits)
    client = sign_in(Client(), family)
    client.get(topic.get_absolute_url())

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(topic.get_absolute_url()).status_code == 200
        return len(queries)

    before = count()
    for voter in (regular, peer_moderator, family):
        polls.vote(voter, topic, [_options(topic)["Morning"].pk])
    assert count() == before
    assert before <= 8


def test_ballots_are_in_the_export_and_erasure_takes_them_out_of_the_counts(
    family, regular, visits
):
    topic = _make(regular, visits)
    polls.vote(family, topic, [_options(topic)["Evening"].pk])
    polls.vote(regular, topic, [_options(topic)["Evening"].pk])
    data = datarights.export_member(family)["community"]["poll_votes"]
    assert [(v["question"], v["chose"]) for v in data] == [
        ("Which visit slot suits you?", ["Evening"])
    ]
    datarights.erase_member(family)
    assert not PollBallot.objects.filter(user=family).exists()
    assert _counts(topic) == (1, {"Morning": 0, "Afternoon": 0, "Evening": 1})


def test_votes_are_rate_limited_per_member(family, regular, visits, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "community_vote": "2/10m"}
    topic = _make(regular, visits)
    ids = [o.pk for o in _options(topic).values()]
    client = sign_in(Client(), family)
    url = f"/community/t/{topic.pk}/poll/vote/"
    statuses = [client.post(url, {"option": i}).status_code for i in ids]
    assert statuses == [302, 302, 429]
    assert _counts(topic) == (1, {"Morning": 0, "Afternoon": 1, "Evening": 0})
