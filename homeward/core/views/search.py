"""The site search page (/search/): words, then each section's own filters (core.search's
sections, registered by the apps that can be searched)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from homeward.core import search
from homeward.core.jinja2 import render_fragment
from homeward.core.ratelimit import rate_limit
from homeward.core.search.backend import MAX_QUERY_CHARS

# Deep pages cost more to find and nobody reads them: ask for better words instead.
MAX_PAGE = 50


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404
    return int(raw)


@require_safe
@rate_limit("search", key="user_or_ip", methods=("GET",), shared=False)
def search_page(request: HttpRequest) -> HttpResponse:
    sections = search.sections_for(request.user)
    if not sections:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    section = next((s for s in sections if s.name == request.GET.get("in")), sections[0])
    query = " ".join(request.GET.get("q", "")[:MAX_QUERY_CHARS].split())
    page = _page(request)
    filters = section.filters(request.GET if query else None, user=request.user)
    results = None
    results_html = ""
    if query and filters.is_valid():
        results = section.results(request.user, query, filters.cleaned_data, page)
        if results["hits"]:
            results_html = render_fragment(section.template, results, request)
    body = {
        "sections": sections,
        "section": section,
        "query": query,
        "filters": filters,
        "filtered": any(request.GET.get(name) for name in filters.fields),
        "results": results,
        "results_html": results_html,
        "page": page,
        "first_page": _at_page(request, None),
        "previous_page": _at_page(request, page - 1),
        "next_page": _at_page(request, page + 1),
        "max_query": MAX_QUERY_CHARS,
    }
    context = {"query": query, "body": render_fragment("core/_search.jinja", body, request)}
    return render(request, "core/search.html", context)


def _at_page(request: HttpRequest, page: int | None) -> str:
    """This search's address at another page (None: the first), as {% querystring %} gives."""
    params = request.GET.copy()
    if page is None:
        params.pop("page", None)
    else:
        params["page"] = str(page)
    return f"?{params.urlencode()}"
