"""The sections of a prison's visiting guide: the prison's own text where staff wrote one, else
the national default below (general guidance that holds for most prisons in England and Wales),
and the weekly visiting times in plain words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.utils.safestring import SafeString

from homeward.core.markdown import render_markdown
from homeward.prisons.models import BookingUnit, PrisonGuideSection, Topic

NATIONAL_DEFAULTS: dict[str, str] = {
    Topic.BRING: """\
**Bring:**

- ID for every adult in your group (see "ID you need").
- Your booking reference, if you were given one.
- A coin or token for the lockers, if the prison uses them, and a little money for the
  visits-hall café if there is one (some halls take cards only, some coins only).
- Anything a baby needs: ask first, as there are limits on bottles, food and nappies.

**Do not take past security:**

- Mobile phones, smart watches, cameras or any electronic device. Leave them in the car or a
  locker.
- Bags, food, drinks, cigarettes, vapes, lighters or medicines (if you need medicine during the
  visit, tell staff when you arrive).
- Anything to hand over: gifts, letters or money cannot be passed on during a visit.

You and your things will be searched, and there may be a drug dog. Taking a banned item into a
prison is a crime, even by mistake, so if in doubt, leave it out.""",
    Topic.ID: """\
Every visitor aged 18 or over must show ID each time they visit. Take one of these:

- a passport
- a photocard driving licence
- another official photo ID, such as a PASS proof-of-age card.

If you have no photo ID, or aren't sure yours will be accepted, ask the prison before you
travel which documents they take. Some prisons also take a photo or fingerprints of visitors on
their first visit. Children under 18 don't usually need ID, but check what this prison asks
for.""",
    Topic.DRESS: """\
Wear everyday, comfortable clothes. Most prisons ask visitors not to wear:

- very short skirts or shorts, see-through or low-cut tops
- clothes with offensive words or pictures, or football shirts at some prisons
- hats, hoods or sunglasses (religious head coverings are fine)
- lots of jewellery; metal belts and underwired bras can set off the metal detector, which
  means a longer search.

If staff think your clothes break the rules, they may ask you to change or refuse the visit, so
it is worth keeping to the simple side.""",
    Topic.VISITORS_CENTRE: """\
Many prisons have a visitors' centre near the entrance, often run by a charity. It is a place
to wait before your visit, with toilets, lockers and sometimes a café, baby changing and a
play area.

Staff and volunteers there know how visits work at this prison. You can ask them anything, and
talk to them if you are finding things hard: that is what they are there for.""",
    Topic.TRAVEL: """\
Plan your journey before the day and aim to arrive 30 to 45 minutes before your visit starts:
if you are late, you may lose the visit. Check whether the prison has visitor parking and
whether it is free.

If you are on a low income, you may be able to get help with the cost of travel (see "Help with
the cost of visits" on this page).""",
    Topic.MONEY: """\
You cannot hand over money during a visit. To send money, use GOV.UK's "Send money to someone
in prison" service, which takes a debit card or bank transfer. You will need their prison
number and date of birth.

What the person in prison can have sent in (clothes, books, other property) depends on the
prison and on their level in the prison's rewards scheme. Ask the prison before you send
anything, or it may be returned or kept in storage.""",
    Topic.CALLS: """\
**Phone calls:** you cannot ring someone in prison. They call you, from an in-cell phone or a
wing phone, once your number is on their approved list. It can take a few days to set up.

**Letters:** write their full name and prison number on the envelope as well as the prison's
address, and put your own name and address on the back. Staff may open and read letters. Many
prisons also take messages through the "Email a Prisoner" service.""",
    Topic.VIDEO: """\
Most prisons offer secure video calls. You book them through an app once your ID has been
checked, and the person in prison must have you on their list of approved contacts. Everyone on
the call must be in view, and the call can be ended if the rules are broken.

Ask the prison or the visitors' centre how video calls work here and how often they are
allowed.""",
}


@dataclass(frozen=True)
class GuideSection:
    topic: str
    title: str
    html: SafeString
    local: bool  # written for this prison by staff, rather than the national default
    updated_at: datetime | None


def render_section(body: str) -> SafeString:
    return render_markdown(body, allow_images=False)


@cache
def national_html(topic: str) -> SafeString:
    """The national text as HTML: the same for every prison, so rendered once per process."""
    return render_section(NATIONAL_DEFAULTS[topic])


def sections_for(own: Iterable[PrisonGuideSection]) -> list[GuideSection]:
    """Every topic in order, with the prison's own text where it has one."""
    by_topic = {s.topic: s for s in own}
    out = []
    for topic in Topic:
        section = by_topic.get(topic.value)
        out.append(
            GuideSection(
                topic=topic.value,
                title=topic.label,
                html=render_section(section.body) if section else national_html(topic.value),
                local=section is not None,
                updated_at=section.updated_at if section else None,
            )
        )
    return out


def text_for(topic: str, own: Iterable[PrisonGuideSection]) -> str:
    for section in own:
        if section.topic == topic:
            return section.body
    return NATIONAL_DEFAULTS[topic]


DAYS = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)


def clock(hhmm: str) -> str:
    """ "14:00" → "2pm", "09:30" → "9:30am"."""
    try:
        hours, minutes = (int(part) for part in hhmm.strip().split(":"))
    except ValueError:
        return hhmm
    suffix = "am" if hours < 12 else "pm"
    hours = hours % 12 or 12
    return f"{hours}{suffix}" if minutes == 0 else f"{hours}:{minutes:02d}{suffix}"


def slot_words(slot: str) -> str:
    """ "14:00-15:30" → "2pm to 3:30pm"."""
    start, _, end = slot.partition("-")
    return f"{clock(start)} to {clock(end)}" if end else clock(start)


def timetable(unit: BookingUnit) -> list[tuple[str, list[str]]]:
    """The days with visits, in week order: [("Monday", ["2pm to 3:30pm"]), …]."""
    slots = unit.weekly_slots or {}
    return [(label, [slot_words(s) for s in slots[key]]) for key, label in DAYS if slots.get(key)]


def times_summary(units: Iterable[BookingUnit]) -> list[str]:
    """One line per day across every booking unit, for side-by-side comparison."""
    lines = []
    units = list(units)
    for key, label in DAYS:
        parts = []
        for unit in units:
            day = unit.weekly_slots.get(key) or []
            if day:
                words = ", ".join(slot_words(s) for s in day)
                parts.append(f"{unit.name}: {words}" if len(units) > 1 else words)
        lines.append(f"{label}: {'; '.join(parts) if parts else 'no visits'}")
    return lines
