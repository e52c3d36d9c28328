"""The site search page's sections: each app that people can search from /search/ registers
one (from its AppConfig.ready), so core's page lists them without importing any app.

A section gives a form of filters (built as `filters(data, user=...)`, every field optional)
and `results(user, query, cleaned_filters, page)`, which returns the context its template
needs: at least `hits` (a list) and `has_next`. Its `template` is a Jinja2 fragment (a list of
results repeats for every hit: core/jinja2.py), rendered with that context. It must only return what this person may see
(narrow a `visible_to(user)` query set before `search.matching`) and keep its query count
constant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django import forms

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User

Audience = Literal["members", "everyone"]


@dataclass(frozen=True)
class Section:
    name: str
    label: str
    template: str
    # Called as filters(data_or_None, user=person): a form whose fields are all optional.
    filters: Callable[..., forms.Form]
    results: Callable[[User | AnonymousUser, str, dict[str, Any], int], dict[str, Any]]
    audience: Audience = "members"
    order: int = 50


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _sections[section.name] = section


def sections_for(user: User | AnonymousUser) -> list[Section]:
    """The sections this person may search, in order."""
    signed_in = user.is_authenticated
    return [
        s
        for s in sorted(_sections.values(), key=lambda s: (s.order, s.name))
        if s.audience == "everyone" or signed_in
    ]
