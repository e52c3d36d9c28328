"""The landing page: warm for visitors, shortcuts for members, panels from other apps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from conftest import sign_in
from homeward.core import home


@pytest.fixture
def panels(tmp_path, settings) -> Iterator[None]:
    """Two panels in a temporary template folder; removed again afterwards."""
    (tmp_path / "members.html").write_text(
        '<li class="panel">Members panel {{ panel.greeting }}</li>'
    )
    (tmp_path / "visitors.html").write_text('<li class="panel">Visitors panel</li>')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]},
        *settings.TEMPLATES[1:],  # the Jinja2 fragments (the page's header and footer)
    ]
    saved = dict(home._panels)
    home.register(
        home.Panel(
            "test-members", "members.html", lambda r: {"greeting": f"hi {r.user.public_name}"}
        )
    )
    home.register(home.Panel("test-visitors", "visitors.html", lambda r: {}, audience="visitors"))
    home.register(home.Panel("test-hidden", "members.html", lambda r: None))
    yield
    home._panels.clear()
    home._panels.update(saved)


def test_visitors_get_a_warm_welcome_and_a_way_to_join(client, db):
    page = client.get("/").content.decode()
    assert "You're not on your own" in page
    assert 'href="/join/"' in page


def test_members_get_their_shortcuts(family):
    page = sign_in(Client(), family).get("/").content.decode()
    assert "Hello, Robin Mum 7" in page
    assert 'href="/notifications/"' in page


def test_registered_panels_show_to_their_audience_only(panels, family, client):
    member_page = sign_in(Client(), family).get("/").content.decode()
    assert "Members panel hi Robin Mum 7" in member_page
    assert "Visitors panel" not in member_page

    visitor_page = client.get("/").content.decode()
    assert "Visitors panel" in visitor_page
    assert "Members panel" not in visitor_page


def test_a_panel_with_nothing_to_show_stays_hidden(panels, family):
    page = sign_in(Client(), family).get("/").content.decode()
    assert page.count("Members panel") == 1
