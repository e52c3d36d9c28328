"""QR codes as inline SVG (segno), for printed join cards."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, title: str = "QR code") -> SafeString:
    qr = segno.make_qr(url, error="m")
    svg = qr.svg_inline(
        scale=3, border=2, title=title, svgclass="qr", lineclass=None, omitsize=True
    )
    return mark_safe(svg)
