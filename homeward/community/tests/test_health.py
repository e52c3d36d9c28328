"""The community health page: exact weekly figures from a seeded community on a frozen clock
(UK weeks, across the change from summer time, an empty week, the edges of the window), a
fixed number of queries whatever the period, the chart, the CSV file, and who may see it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from conftest import sign_in
from homeward.accounts.factories import make_member
from homeward.accounts.models import Organisation, Role, User
from homeward.community import factories, health, moderation, services
from homeward.community.models import Category, Post, ReviewItem, Topic, TrustLevel

UK = ZoneInfo("Europe/London")
# Wednesday of ISO week 48 (Monday 23 November 2026). Twelve weeks run from week 37 (Monday 7
# September, still British Summer Time) to week 48.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UK)


def uk(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UK)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class World:
    worker: User
    visits: Category
    first_topic: Topic


def _at(moment: datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


def _member(name: str, org: Organisation, joined: datetime, level: int = 0) -> User:
    with _at(joined):
        user = make_member(name, org, Role.FAMILY)
    if level:
        factories.set_trust_level(user, level)
    return user


@pytest.fixture
def world(org_a: Organisation) -> Iterator[World]:
    """Members joining and writing on either side of week boundaries, with flags that
    moderators acted on after known waits, then the clock stopped at NOW."""
    with _at(uk(2026, 9, 1, 9)):
        worker = make_member("health-worker", org_a, Role.SUPPORT_WORKER)
        visits = factories.make_category("Visits and keeping in touch", slug="visits")
    # Before the window (week 31, with 26 weeks it is in): joined, and nothing else.
    cat = _member("Cat Mum 1", org_a, uk(2026, 8, 1, 10), level=TrustLevel.BASIC)
    # The last second before the 12-week window: counted nowhere.
    _member("Eve Dad 5", org_a, uk(2026, 9, 6, 23, 59, 59))
    # Sunday 27 September, 11.30pm in Britain (10.30pm UTC): week 39.
    ann = _member("Ann Mum 2", org_a, uk(2026, 9, 27, 23, 30), level=TrustLevel.BASIC)
    with _at(uk(2026, 9, 27, 23, 30, 30)):
        first = services.create_topic(ann, visits, title="First visit", body="What do I bring?")
    # Monday 28 September, 0.30am in Britain (still Sunday in UTC): week 40.
    bob = _member("Bob Gran 3", org_a, uk(2026, 9, 28, 0, 30))
    with _at(uk(2026, 9, 28, 0, 45)):
        bobs_reply = services.post_reply(bob, first, "Your ID and a pound coin.")
    with _at(uk(2026, 9, 29, 10)):  # staff write too: a message, but not an active member
        workers_reply = services.post_reply(worker, first, "Lockers take pound coins.")
    # Week 41: nothing at all.
    # Week 44 (after the clocks went back on 25 October): Cat reads, Ann sends support.
    with _at(uk(2026, 10, 27, 20)):
        services.record_reading(cat, first, 3)
    with _at(uk(2026, 10, 28, 8)):
        services.toggle_reaction(ann, bobs_reply, "support")
    # Week 45: three flags. One acted on after 3 hours, one after 25 hours, one still waiting.
    with _at(uk(2026, 11, 2, 10)):
        moderation.flag_post(cat, bobs_reply, "unkind")
    with _at(uk(2026, 11, 2, 13)):
        moderation.approve(worker, ReviewItem.objects.get(post=bobs_reply))
    with _at(uk(2026, 11, 4, 10)):
        moderation.flag_post(cat, first.posts.get(post_number=1), "off_topic")
    with _at(uk(2026, 11, 5, 11)):
        moderation.hide(worker, ReviewItem.objects.get(post__post_number=1))
    with _at(uk(2026, 11, 8, 23, 0)):
        moderation.flag_post(ann, workers_reply, "other", "Sounds like an advert")
    # Week 47: a flag nobody has acted on yet.
    with _at(uk(2026, 11, 17, 9)):
        moderation.flag_post(ann, bobs_reply, "unkind")
    # Week 48, this week: Dan joins and starts a conversation.
    dan = _member("Dan Son 4", org_a, uk(2026, 11, 23, 9))
    with _at(uk(2026, 11, 23, 9, 30)):
        services.create_topic(dan, visits, title="Hello", body="I'm new here.")
    with _at(NOW):
        yield World(worker, visits, first)


def _by_week(weeks: list[health.Week]) -> dict[int, health.Week]:
    return {week.iso_week: week for week in weeks}


def test_twelve_weeks_run_from_week_37_to_this_week_oldest_first(world):
    weeks = health.weekly()
    assert [w.iso_week for w in weeks] == list(range(37, 49))
    assert weeks[0].starts == date(2026, 9, 7)
    assert weeks[-1].starts == date(2026, 11, 23) and weeks[-1].ends == date(2026, 11, 29)
    assert [w.current for w in weeks] == [False] * 11 + [True]


def test_figures_are_counted_in_the_uk_week_they_happened(world):
    weeks = _by_week(health.weekly())
    # Sunday 11.30pm in summer time: week 39, though it was already Sunday 10.30pm in UTC.
    w39 = weeks[39]
    assert (w39.new_members, w39.active_members, w39.topics, w39.posts, w39.flags) == (
        1, 1, 1, 1, 0,
    )  # fmt: skip
    # Monday 0.30am in summer time (Sunday in UTC): week 40. The worker's reply is a message,
    # but staff are neither new nor active members.
    w40 = weeks[40]
    assert (w40.new_members, w40.active_members, w40.topics, w40.posts, w40.flags) == (
        1, 1, 0, 2, 0,
    )  # fmt: skip
    # Reading and reacting make two active members, with nothing written.
    w44 = weeks[44]
    assert (w44.new_members, w44.active_members, w44.topics, w44.posts) == (0, 2, 0, 0)
    w48 = weeks[48]
    assert (w48.new_members, w48.active_members, w48.topics, w48.posts) == (1, 1, 1, 1)


def test_an_empty_week_is_all_zeros(world):
    w41 = _by_week(health.weekly())[41]
    assert (
        w41.new_members, w41.active_members, w41.topics, w41.posts, w41.flags,
        w41.acted_on, w41.waiting, w41.median_first_action,
    ) == (0, 0, 0, 0, 0, 0, 0, None)  # fmt: skip
    assert w41.median_text == "Nothing came in"


def test_median_time_to_first_action_leaves_out_what_still_waits(world):
    w45 = _by_week(health.weekly())[45]
    assert w45.flags == 3
    assert (w45.acted_on, w45.waiting) == (2, 1)
    assert w45.median_first_action == timedelta(hours=14)  # the middle of 3 h and 25 h
    assert w45.median_text == "14 h"
    assert w45.median_hours == 14.0


def test_a_week_whose_items_all_still_wait_has_no_median(world):
    w47 = _by_week(health.weekly())[47]
    assert (w47.flags, w47.acted_on, w47.waiting, w47.median_first_action) == (1, 0, 1, None)
    assert w47.median_text == "Nothing acted on yet"


def test_nothing_before_the_window_is_counted(world):
    weeks = health.weekly()
    assert sum(w.new_members for w in weeks) == 3  # Ann, Bob, Dan: not Cat, Eve or the worker


def test_a_longer_period_reaches_back_to_older_weeks(world):
    weeks = health.weekly(26)
    assert len(weeks) == 26 and weeks[0].starts == date(2026, 6, 1)
    by_week = _by_week(weeks)
    assert by_week[31].new_members == 1  # Cat, on Saturday 1 August
    assert by_week[36].new_members == 1  # Eve, the last second of Sunday 6 September
    assert sum(w.new_members for w in weeks) == 5


@pytest.mark.parametrize("weeks", [12, 52])
def test_six_queries_whatever_the_period(world, django_assert_num_queries, weeks):
    with django_assert_num_queries(6):
        health.weekly(weeks)


@pytest.mark.parametrize(
    ("raw", "weeks"),
    [(None, 12), ("", 12), ("26", 26), ("52", 52), ("13", 12), ("lots", 12), ("-1", 12)],
)
def test_only_the_offered_periods_are_used(raw, weeks):
    assert health.weeks_asked(raw) == weeks


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(seconds=20), "under a minute"),
        (timedelta(minutes=40), "40 min"),
        (timedelta(hours=3), "3 h"),
        (timedelta(hours=3, minutes=5), "3 h 5 min"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=2, hours=4, minutes=59), "2 days 4 h"),
    ],
)
def test_waits_read_in_a_few_words(value, text):
    assert health.duration_text(value) == text


def test_chart_bars_scale_to_the_busiest_week(world):
    weeks = health.weekly()
    chart = health.chart(weeks, "posts", "Messages")
    assert chart.most == 2
    heights = {bar.label: bar.height for bar in chart.bars}
    assert heights["Week 40: 2"] == health.CHART_HEIGHT
    assert heights["Week 39: 1"] == health.CHART_HEIGHT / 2
    assert heights["Week 41: 0"] == 0
    assert all(bar.y + bar.height == health.CHART_HEIGHT for bar in chart.bars)


def test_chart_of_nothing_has_flat_bars(db):
    with _at(NOW):
        chart = health.chart(health.weekly(), "flags", "Flags")
    assert chart.most == 0 and {bar.height for bar in chart.bars} == {0}


# The page ------------------------------------------------------------------------------------


def test_staff_see_the_figures_newest_week_first(world, django_assert_max_num_queries):
    client = sign_in(Client(), world.worker)
    with django_assert_max_num_queries(15):  # 5 for the staff gate, 6 for the figures
        response = client.get("/community/health/")
    assert response.status_code == 200
    page = response.content.decode()
    table = page[page.index("<table") :]
    assert table.index("Week 48</span> (so far)") < table.index("Week 45") < table.index("Week 37")
    assert "23 Nov \N{EN DASH}</span>" in table and ">29 Nov 2026</span>" in table
    assert "14 h" in page and "(2 items)" in page
    assert 'role="img"' in page and "<rect" in page
    assert "style=" not in page  # the CSP allows no inline style
    assert 'aria-current="page">12 weeks' in page
    assert "/community/health/weeks.csv?weeks=12" in page
    for name in ("Ann Mum 2", "Bob Gran 3", "Cat Mum 1", "Dan Son 4", "First visit"):
        assert name not in page  # figures only: nobody and nothing they wrote is named


def test_the_period_can_be_chosen(world):
    page = sign_in(Client(), world.worker).get("/community/health/?weeks=26").content.decode()
    assert 'aria-current="page">26 weeks' in page
    assert "Week 23" in page and "Week 22" not in page


def test_a_period_not_offered_shows_twelve_weeks(world):
    response = sign_in(Client(), world.worker).get("/community/health/?weeks=1000")
    assert response.status_code == 200
    assert len(response.context["weeks"]) == 12
    assert 'aria-current="page">12 weeks' in response.content.decode()


def test_csv_has_the_same_table_oldest_first(world):
    response = sign_in(Client(), world.worker).get("/community/health/weeks.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == health.CSV_HEADER
    assert len(rows) == 13
    assert rows[1][:3] == ["2026-W37", "2026-09-07", "2026-09-13"]
    assert rows[9] == [
        "2026-W45",
        "2026-11-02",
        "2026-11-08",
        "0",
        "0",
        "0",
        "0",
        "3",
        "2",
        "1",
        "14.0",
    ]
    assert rows[5][-1] == ""  # week 41: no median


def test_peer_moderators_and_families_get_not_found(world, peer_moderator, family):
    for user in (peer_moderator, family):
        client = sign_in(Client(), user)
        assert client.get("/community/health/").status_code == 404
        assert client.get("/community/health/weeks.csv").status_code == 404


def test_staff_without_the_second_factor_in_this_session_are_asked_for_it(world):
    client = sign_in(Client(), world.worker, second_factor=False)
    response = client.get("/community/health/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/")


def test_platform_admins_see_the_page(world, platform_admin):
    assert sign_in(Client(), platform_admin).get("/community/health/").status_code == 200


def test_staff_find_the_page_from_the_community(world, family):
    link = 'href="/community/health/"'
    assert link in sign_in(Client(), world.worker).get("/community/").content.decode()
    assert link not in sign_in(Client(), family).get("/community/").content.decode()


def test_posts_are_counted_whatever_became_of_them(world):
    """Removed and hidden messages still count as written in their week."""
    assert Post.objects.filter(hidden_at__isnull=False).exists()
    assert _by_week(health.weekly())[39].posts == 1


def test_csv_follows_the_chosen_period(world):
    response = sign_in(Client(), world.worker).get("/community/health/weeks.csv?weeks=52")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 53 and rows[-1][0] == "2026-W48"
    assert (
        'filename="community-health-2026-11-25-52-weeks.csv"' in (response["Content-Disposition"])
    )
