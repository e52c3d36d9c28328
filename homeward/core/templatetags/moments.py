"""Moments as every page prints them, for Django templates (core.jinja2 gives its fragments the
same): `{% load moments %}` then `{{ when|since }} ago`."""

from __future__ import annotations

from typing import Any

from django import template

from homeward.core import jinja2

register = template.Library()


@register.filter
def since(value: Any) -> str:
    """How long ago, in its largest whole unit ("3 days"), as lists elsewhere say it."""
    return jinja2.since(value)
