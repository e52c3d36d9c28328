"""The Open Referral UK 3.0 read API (django-ninja), mounted at /api/oruk/."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Homeward directory: Open Referral UK",
    version="3.0",
    urls_namespace="oruk",
    docs_url="/docs",
)
