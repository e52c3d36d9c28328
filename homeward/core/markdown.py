"""The one way user-written text becomes HTML: markdown-it-py with raw HTML off, then nh3."""

from __future__ import annotations

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "js-default" is CommonMark with raw HTML disabled and link validation on.
    return (
        MarkdownIt("js-default", {"linkify": False, "typographer": False})
        .enable("table")
        .enable("strikethrough")
    )


def _same_site_images(tag: str, attribute: str, value: str) -> str | None:
    """Pictures only from this site: one from another would tell that site who is reading
    (and the Content-Security-Policy blocks it anyway). The drill that found it:
    core/tests/drills/test_drill_xss.py."""
    if (
        tag == "img"
        and attribute == "src"
        and (not value.startswith("/") or value.startswith("//"))
    ):
        return None
    return value


def render_markdown(text: str, *, allow_images: bool = True) -> SafeString:
    """Render member-written markdown to HTML that is safe to insert into a page."""
    html = _parser().render(text or "")
    tags = ALLOWED_TAGS if allow_images else ALLOWED_TAGS - {"img"}
    clean = nh3.clean(
        html,
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
        attribute_filter=_same_site_images,
    )
    return mark_safe(clean)
