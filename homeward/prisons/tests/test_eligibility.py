"""Help with the cost of visits: the Assisted Prison Visits rules, both sides, and the page."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from homeward.prisons.eligibility import Benefit, Frequency, Relationship, check


@pytest.mark.parametrize("relationship", ["partner", "relative", "sole"])
@pytest.mark.parametrize(
    "benefit",
    [
        "income-support",
        "jsa",
        "esa",
        "universal-credit",
        "pension-credit",
        "tax-credits",
        "hc2",
        "hc3",
    ],
)
def test_partner_relative_or_only_visitor_on_a_qualifying_benefit_can_get_help(
    relationship, benefit
):
    answer = check(relationship, [benefit], Frequency.FEWER)
    assert answer.eligible
    assert any("within 28 days" in step for step in answer.next_steps)


def test_friend_who_is_not_the_only_visitor_cannot_get_help():
    answer = check(Relationship.OTHER, [Benefit.UNIVERSAL_CREDIT], Frequency.FEWER)
    assert not answer.eligible
    assert any("only visitor" in reason for reason in answer.reasons)


def test_no_qualifying_benefit_means_no_help():
    answer = check(Relationship.PARTNER, [Benefit.NONE], Frequency.FEWER)
    assert not answer.eligible
    assert any("HC2" in reason for reason in answer.reasons)


def test_more_than_26_visits_in_a_year_means_no_more_help():
    answer = check(Relationship.RELATIVE, [Benefit.PENSION_CREDIT], Frequency.MORE)
    assert not answer.eligible
    assert any("up to 26 visits" in reason for reason in answer.reasons)


def test_hc3_alone_says_help_may_be_partial():
    answer = check(Relationship.PARTNER, [Benefit.HC3], Frequency.FEWER)
    assert answer.eligible
    assert any("part of your costs" in reason for reason in answer.reasons)


def test_every_reason_is_given_when_several_rules_fail():
    answer = check(Relationship.OTHER, [Benefit.NONE], Frequency.MORE)
    assert len(answer.reasons) == 3


def test_checker_page_gives_a_plain_answer_and_how_to_apply(client: Client):
    response = client.get(
        "/prisons/help-with-costs/",
        {"relationship": "partner", "benefits": ["universal-credit"], "frequency": "fewer"},
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "You can probably get help with the cost of your visits" in page
    assert "https://www.gov.uk/help-with-prison-visits" in page
    assert "Get help with the cost of prison visits" in page


def test_checker_without_answers_shows_the_questions_without_errors(client: Client):
    page = client.get("/prisons/help-with-costs/").content.decode()
    assert 'name="relationship"' in page
    assert "There is a problem" not in page


def test_checker_explains_missing_and_contradictory_answers(client: Client):
    response = client.get(
        "/prisons/help-with-costs/", {"benefits": ["none", "hc2"], "frequency": "fewer"}
    )
    page = html.unescape(response.content.decode())
    assert "Choose who they are to you." in page
    assert "You ticked “None of these” and a benefit" in page
