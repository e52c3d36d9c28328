"""The one way user-written text becomes HTML: markdown-it-py with raw HTML off, then nh3."""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

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


_BARE_URL = re.compile(r"https?://[^\s<>\"`]+", re.IGNORECASE)
_LINE_BREAKS = {"softbreak", "hardbreak"}


def _link_lines(state: StateCore) -> None:
    """A web address alone on its line becomes a link (Discourse's onebox line), and nothing
    else does: an address inside a sentence stays text, as before. The link's text is its
    address exactly as the link holds it, so a page can recognise the line again later (see
    LINE_LINK) and show a title in its place."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        out: list[Token] = []
        for i, token in enumerate(children):
            before = children[i - 1].type if i > 0 else "softbreak"
            after = children[i + 1].type if i + 1 < len(children) else "softbreak"
            url = token.content.strip()
            if (
                token.type == "text"
                and before in _LINE_BREAKS
                and after in _LINE_BREAKS
                and _BARE_URL.fullmatch(url)
            ):
                href = state.md.normalizeLink(url)
                if state.md.validateLink(href):
                    opening = Token("link_open", "a", 1, attrs={"href": href}, markup="linkify")
                    text = Token("text", "", 0, content=href)
                    out += [opening, text, Token("link_close", "a", -1, markup="linkify")]
                    continue
            out.append(token)
        block.children = out


@lru_cache(maxsize=2)
def _parser(link_lines: bool = False) -> MarkdownIt:
    # "js-default" is CommonMark with raw HTML disabled and link validation on.
    md = (
        MarkdownIt("js-default", {"linkify": False, "typographer": False})
        .enable("table")
        .enable("strikethrough")
    )
    if link_lines:
        md.core.ruler.push("link_lines", _link_lines)
    return md


def tokens(text: str) -> list[Token]:
    """The parsed form of member-written markdown (for finding quotes and the like in it)."""
    return _parser().parse(text or "")


# A link alone on its line whose text is its own address, as render_markdown(link_lines=True)
# writes it: group 1 is the address and group 2 the text (both HTML-escaped).
LINE_LINK = re.compile(
    r'(?:(?<=<p>)|(?<=<li>)|(?<=\n))<a href="([^"<>]+)" rel="nofollow noopener noreferrer ugc">'
    r"([^<]+)</a>(?=</p>|</li>|<br>|\n)"
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


def render_markdown(
    text: str, *, allow_images: bool = True, link_lines: bool = False
) -> SafeString:
    """Render member-written markdown to HTML that is safe to insert into a page. With
    `link_lines`, a web address alone on its line becomes a link (see LINE_LINK)."""
    html = _parser(link_lines).render(text or "")
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
