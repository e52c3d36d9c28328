"""The floor of this stack: a bare Django view that reads one row and renders it through a
template, served through Homeward's own settings and middleware (session, auth, CSRF, CSP...).
The community benchmark installs this URLconf with override_settings for the floor's
measurement only; it is not a URL of the app. Every other URL still resolves through it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from homeward.community.models import Topic

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{{ row.title }}</title>"
    "</head><body><h1>{{ row.title }}</h1><p>Last message {{ row.last_posted_at|date:'j M Y' }}"
    "</p></body></html>"
)


def floor(request: HttpRequest, pk: int) -> HttpResponse:
    row = Topic.objects.only("title", "last_posted_at").get(pk=pk)
    return HttpResponse(_TEMPLATE.render({"row": row}, request))


urlpatterns = [
    path("bench/floor/<int:pk>/", floor),
    path("", include("homeward.urls")),
]
