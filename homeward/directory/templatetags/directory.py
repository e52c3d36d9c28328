from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from homeward.core.markdown import render_markdown
from homeward.directory.models import DAY_NAMES

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text, allow_images=False)


@register.filter
def day_names(codes: list[str]) -> str:
    return ", ".join(DAY_NAMES[c] for c in codes if c in DAY_NAMES)
