"""Panels on the landing page. Each app registers what it adds (from its AppConfig.ready), so
core's home page shows "my prison" or "find support" without importing those apps.

A panel's `context(request)` returns the values its template needs, or None to stay hidden for
this person. Panels must keep the page's query count constant: one or two queries at most."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.http import HttpRequest

Audience = Literal["members", "visitors", "everyone"]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    audience: Audience = "members"
    order: int = 50


@dataclass(frozen=True)
class ShownPanel:
    template: str
    values: dict[str, Any]


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.name] = panel


def panels_for(request: HttpRequest) -> list[ShownPanel]:
    signed_in = request.user.is_authenticated
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        if panel.audience == "members" and not signed_in:
            continue
        if panel.audience == "visitors" and signed_in:
            continue
        values = panel.context(request)
        if values is not None:
            shown.append(ShownPanel(panel.template, values))
    return shown
