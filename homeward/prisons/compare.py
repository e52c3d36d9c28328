"""What's different between two prisons' visiting arrangements, for a family whose loved one has
been moved: booking, contacts, times, age rules and each section of the guide."""

from __future__ import annotations

from dataclasses import dataclass

from homeward.prisons.guide import NATIONAL_DEFAULTS, times_summary
from homeward.prisons.models import BookingUnit, Prison, PrisonGuideSection, Topic

UNKNOWN = "Not known"


@dataclass(frozen=True)
class Row:
    label: str
    before: list[str]
    after: list[str]
    section: str = ""  # a guide topic: the page shows a link rather than both texts

    @property
    def differs(self) -> bool:
        return self.before != self.after


def _booking(units: list[BookingUnit], prison: Prison) -> list[str]:
    if not units:
        return [UNKNOWN]
    lines = []
    for unit in units:
        if unit.closed:
            how = "Not taking bookings in the published data"
        elif unit.online_booking and not unit.private:
            how = "Online, through GOV.UK's visit booking service, or by phone"
        elif unit.private:
            how = "Directly with the prison (not the online service)"
        else:
            how = "By phone or e-mail (no online booking)"
        lines.append(f"{unit.name}: {how}" if len(units) > 1 else how)
    return lines


def _each(units: list[BookingUnit], value: str | int | None, attr: str) -> list[str]:
    values = [getattr(u, attr) for u in units] or [value]
    shown = sorted({str(v) for v in values if v not in (None, "")})
    return shown or [UNKNOWN]


def _section(own: list[PrisonGuideSection], topic: str) -> list[str]:
    for section in own:
        if section.topic == topic:
            return [section.body.strip()]
    return [NATIONAL_DEFAULTS[topic].strip()]


def differences(before: Prison, after: Prison) -> list[Row]:
    """Rows in reading order; `differs` says which ones changed. Expects `get_prison` rows
    (booking units and sections prefetched)."""
    units_b, units_a = list(before.booking_units.all()), list(after.booking_units.all())
    own_b, own_a = list(before.sections.all()), list(after.sections.all())
    rows = [
        Row("How to book a visit", _booking(units_b, before), _booking(units_a, after)),
        Row(
            "Phone for bookings",
            _each(units_b, before.phone, "phone"),
            _each(units_a, after.phone, "phone"),
        ),
        Row(
            "E-mail for bookings",
            _each(units_b, before.email, "email"),
            _each(units_a, after.email, "email"),
        ),
        Row(
            "Weekly visiting times",
            times_summary(units_b) if units_b else [UNKNOWN],
            times_summary(units_a) if units_a else [UNKNOWN],
        ),
        Row(
            "Visitors count as adults from age",
            _each(units_b, None, "adult_age"),
            _each(units_a, None, "adult_age"),
        ),
        Row(
            "Book at least this many days ahead",
            _each(units_b, None, "lead_days"),
            _each(units_a, None, "lead_days"),
        ),
    ]
    for topic in Topic:
        rows.append(
            Row(
                topic.label,
                _section(own_b, topic.value),
                _section(own_a, topic.value),
                section=topic.value,
            )
        )
    return rows
