from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from homeward.core.home import Panel


# The members' "Latest conversations" panel costs one query on the landing page (the page's
# ceilings are core's: homeward/core/tests/matrix.py, "home"; community/tests/test_pages.py
# checks the count stays the same as conversations grow).
def members_panel() -> Panel:
    from homeward.community import services
    from homeward.core import home

    return home.Panel(
        "community",
        "community/_home_panel.html",
        lambda request: {"topics": services.latest_topics_for(request.user)},
        order=10,
    )


def _schedule() -> None:
    from datetime import timedelta

    from homeward.community import levels, pictures, previews
    from homeward.core import schedule

    schedule.register("community.trust_level_three", timedelta(days=1), levels.daily)
    schedule.register("community.picture_files", timedelta(hours=1), pictures.sweep_orphans)
    schedule.register("community.link_titles", timedelta(days=1), previews.sweep_unlinked)


def _jinja_filters() -> None:
    """The community's template filters, for its Jinja2 fragments too (core/jinja2.py)."""
    from homeward.community.templatetags import community
    from homeward.core import jinja2

    jinja2.register_filters(author_link=community.author_link)


class CommunityConfig(AppConfig):
    name = "homeward.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from homeward.community import search, services
        from homeward.core import home

        services.register_data_handlers()
        search.register()
        _jinja_filters()
        _schedule()
        home.register(members_panel())
        home.register(
            home.Panel(
                "community-visitors",
                "community/_home_panel_visitors.html",
                lambda request: {},
                audience="visitors",
                order=10,
            )
        )
