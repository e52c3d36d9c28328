"""Everything members write goes through render_markdown: hostile input comes out inert, and
ordinary markdown still reads as the writer meant."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.utils.safestring import SafeString

from homeward.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

REL = "nofollow noopener noreferrer ugc"


class _Tags(HTMLParser):
    """Every element and attribute in a piece of HTML, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def tags_in(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def _url_scheme(value: str) -> str:
    """The scheme a browser would read from an attribute value (WHATWG URL parsing): leading and
    trailing controls and spaces are dropped, tabs and newlines anywhere are ignored, and a
    scheme is a letter followed by letters, digits, "+", "-" or "." before the first colon.
    Anything else ("%6Aavascript:") is a relative address."""
    cleaned = re.sub(r"[\t\n\r]", "", value.strip(_C0_AND_SPACE))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else ""


def assert_inert(html: str) -> None:
    lowered = html.lower()
    for raw in ("<script", "<iframe", "<svg", "<style", "<object", "<embed", "<math", "<form"):
        assert raw not in lowered, f"{raw} in {html!r}"
    for tag, attrs in tags_in(html):
        assert tag in ALLOWED_TAGS, f"<{tag}> in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name}= in {html!r}"
            assert name != "style", f"style= in {html!r}"
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) or (tag == "a" and name == "rel"), (
                f"{tag} {name}= in {html!r}"
            )
            if name in {"href", "src"}:
                assert _url_scheme(value) in {"", "http", "https", "mailto", "tel"}, (
                    f"{name}={value!r} in {html!r}"
                )


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "![x](https://example.org/a.png){onerror=alert(1)}",
    '![x](https://example.org/a.png "a\\" onerror=\\"alert(1)")',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](%6Aavascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[click][1]\n\n[1]: javascript:alert(1)",
    '[click](https://example.org/" onclick="alert(1))',
    '[click](https://example.org "title" onmouseover="alert(1)")',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="https://example.org" onclick="alert(1)">click</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<span style="position:fixed;top:0;left:0;width:100%">cover</span>',
    "<style>body { display: none }</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>Go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<details open ontoggle=alert(1)>",
    "<div><b onclick=alert(1)>unclosed",
    "<img src=x onerror=alert(1)",  # never closed
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "```html\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "**<img src=x onerror=alert(1)>**",
    "> <script>alert(1)</script>",
    "- [list](javascript:alert(1))\n- <iframe>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\x00<script>alert(1)</script>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_comes_out_inert(text):
    assert_inert(render_markdown(text))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_inert_without_images_too(text):
    html = render_markdown(text, allow_images=False)
    assert_inert(html)
    assert "<img" not in html.lower()


def test_escaped_markup_stays_visible_as_text():
    """Raw HTML is not run, but the writer's words are not lost either."""
    html = render_markdown("I typed <b>bold</b> & <script>x</script>")
    assert "<b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html


def test_the_checker_itself_catches_dangerous_html():
    """A guard that cannot fail is no guard: the checks above must reject real attacks."""
    for bad in (
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="data:text/html,hi">x</a>',
        '<p style="color:red">x</p>',
        "<iframe></iframe>",
    ):
        with pytest.raises(AssertionError):
            assert_inert(bad)


# --- ordinary markdown ------------------------------------------------------------------------


def test_returns_safe_html_for_templates():
    assert isinstance(render_markdown("hello"), SafeString)
    assert render_markdown("") == ""
    assert render_markdown(None) == ""  # type: ignore[arg-type]


def test_emphasis_strong_and_strikethrough():
    html = render_markdown("Visits are *hard* but **worth it**, ~~always~~ mostly.")
    assert "<em>hard</em>" in html
    assert "<strong>worth it</strong>" in html
    assert "<s>always</s>" in html


def test_lists_and_numbered_lists_keep_their_start():
    html = render_markdown("- bring ID\n- arrive early\n\n3. third\n4. fourth")
    assert "<ul>" in html
    assert "<li>bring ID</li>" in html
    assert '<ol start="3">' in html
    assert "<li>fourth</li>" in html


def test_links_open_safely_with_rel():
    html = render_markdown('[Samaritans](https://www.samaritans.org "Call free")')
    attrs = next(a for t, a in tags_in(html) if t == "a")
    assert attrs["href"] == "https://www.samaritans.org"
    assert attrs["title"] == "Call free"
    assert attrs["rel"] == REL
    assert ">Samaritans</a>" in html


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("[Call us](tel:116123)", "tel:116123"),
        ("[Write](mailto:help@example.org)", "mailto:help@example.org"),
        ("<https://example.org/visits>", "https://example.org/visits"),
        ("[relative](/help/visits/)", "/help/visits/"),
    ],
)
def test_safe_link_kinds_are_kept(text, href):
    links = [attrs for tag, attrs in tags_in(render_markdown(text)) if tag == "a"]
    assert [link["href"] for link in links] == [href]
    assert links[0]["rel"] == REL


def test_headings_keep_their_text_apart():
    html = str(render_markdown("# Visiting tips\n\nBring ID."))
    assert "<h1>Visiting tips</h1>" in html
    assert "<p>Bring ID.</p>" in html


def test_tables_render():
    html = render_markdown("| Day | Time |\n|---|---|\n| Mon | 2pm |")
    assert "<table>" in html
    assert "<th>Day</th>" in html
    assert "<td>2pm</td>" in html


def test_inline_and_fenced_code_render_escaped():
    html = render_markdown("Use `<b>` here.\n\n```python\nif a < b:\n    print(a)\n```")
    assert "<code>&lt;b&gt;</code>" in html
    assert "<pre><code>" in html
    assert "if a &lt; b:" in html


def test_quotes_headings_and_rules():
    html = render_markdown("> You're not alone\n\n## What helps\n\n---")
    assert "<blockquote>" in html
    assert "<h2>What helps</h2>" in html
    assert "<hr>" in html


def test_images_allowed_by_default_and_dropped_when_not():
    text = "Our garden ![a sunflower](/media/sunflower.png)"
    with_images = render_markdown(text)
    attrs = next(a for t, a in tags_in(with_images) if t == "img")
    assert attrs["src"] == "/media/sunflower.png"
    assert attrs["alt"] == "a sunflower"

    without = render_markdown(text, allow_images=False)
    assert "<img" not in without
    assert "Our garden" in without


@pytest.mark.parametrize(
    "src", ["https://example.org/pixel.png", "//example.org/pixel.png", "http://10.0.0.1/x.gif"]
)
def test_pictures_from_other_sites_lose_their_address(src):
    """Another site's picture would tell that site who is reading; only the words are kept."""
    html = render_markdown(f"![a sunflower]({src})")
    attrs = next(a for t, a in tags_in(html) if t == "img")
    assert "src" not in attrs
    assert attrs["alt"] == "a sunflower"
