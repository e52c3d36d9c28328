"""The community's health for staff: a week-by-week table, small bar charts of the same
figures, and the table as a CSV file. Staff of an organisation and platform admins, past the
second factor; everyone else (peer moderators included) gets 404."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from homeward.accounts.decorators import staff_required
from homeward.community import health


@require_safe
@staff_required
def health_page(request: HttpRequest) -> HttpResponse:
    weeks = health.weeks_asked(request.GET.get("weeks"))
    rows = health.weekly(weeks)
    context = {
        "weeks": rows,
        "newest_first": rows[::-1],
        "week_count": weeks,
        "week_choices": health.WEEK_CHOICES,
        "charts": [
            health.chart(rows, "active_members", "Active members"),
            health.chart(rows, "posts", "Messages"),
            health.chart(rows, "flags", "Flags"),
        ],
    }
    return render(request, "community/health.html", context)


@require_safe
@staff_required
def health_csv(request: HttpRequest) -> HttpResponse:
    weeks = health.weeks_asked(request.GET.get("weeks"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"community-health-{timezone.localdate():%Y-%m-%d}-{weeks}-weeks.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(health.CSV_HEADER)
    writer.writerows(health.csv_rows(health.weekly(weeks)))
    return response
