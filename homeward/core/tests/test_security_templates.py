"""Every page template keeps to the Content-Security-Policy: no inline script, no style attribute
or block, no inline event handler, no `javascript:` link. The browser drill checks the pages a
journey visits; this checks every template, including pages no journey reaches yet. E-mail
templates are exempt (mail clients need inline styles, and no CSP applies to them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

HOMEWARD = Path(settings.BASE_DIR) / "homeward"

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
RULES = {
    "inline <script> (use a static file; JSON data blocks are fine)": INLINE_SCRIPT,
    "style attribute (use a class in the app's CSS)": re.compile(r"<[a-z][^>]*\sstyle=", re.I),
    "<style> block (use the app's CSS file)": re.compile(r"<style\b", re.I),
    "inline event handler (use addEventListener)": re.compile(r"<[a-z][^>]*\son[a-z]+=", re.I),
    "javascript: URL": re.compile(r"=\s*[\"']?\s*javascript:", re.I),
}


def page_templates() -> list[Path]:
    return sorted(
        path
        for path in HOMEWARD.rglob("templates/**/*.html")
        if "email" not in path.relative_to(HOMEWARD).parts
    )


def test_there_are_templates_to_check() -> None:
    assert len(page_templates()) > 40


@pytest.mark.parametrize("rule", list(RULES))
def test_no_page_template_breaks_the_policy(rule: str) -> None:
    pattern = RULES[rule]
    offenders = [
        f"{path.relative_to(HOMEWARD)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in page_templates()
        for text in [path.read_text(encoding="utf-8")]
        for match in pattern.finditer(text)
    ]
    assert not offenders, f"{rule}: {offenders}"


@pytest.mark.parametrize(
    ("rule", "html"),
    [
        ("inline <script> (use a static file; JSON data blocks are fine)", "<script>go()</script>"),
        ("style attribute (use a class in the app's CSS)", '<p class="x" style="color:red">'),
        ("<style> block (use the app's CSS file)", "<style>p{}</style>"),
        ("inline event handler (use addEventListener)", '<button onclick="go()">'),
        ("javascript: URL", '<a href="javascript:go()">'),
    ],
)
def test_each_rule_catches_what_it_names(rule: str, html: str) -> None:
    assert RULES[rule].search(html)


def test_external_scripts_and_json_data_blocks_are_allowed() -> None:
    allowed = '<script src="/static/core/site.js" defer></script>'
    data = '<script data-x="y" type="application/json">{}</script>'
    assert not INLINE_SCRIPT.search(allowed)
    assert not INLINE_SCRIPT.search(data)
