"""Real services that families in England and Wales use, as plain facts: who runs it, what it
offers, phone numbers, web address, and whether it serves the whole of England and Wales or one
region. Opening hours are only given where they are part of the service's name ("any time");
hours change, so families are pointed at the service's own site.

Every entry has a `source`: where its facts come from. Two kinds:
- a page by the organisation itself (or GOV.UK), quoted by address;
- "published by the organisation (checked 2025)": numbers and addresses the organisation has
  published for years and that we know to be current in 2025-2026, but that were not re-read
  online when this file was last checked (this machine has no web access). Re-check these on
  the organisation's own site before relying on them in print.
Anything we couldn't stand behind was left out: no guessed phone numbers (NEPACS, POPS, Ormiston
Families, Children Heard and Seen, Storybook Dads and Adfam are listed with their websites
only), and Families Outside is left out because it serves Scotland.

Each entry: organisation and its website; the service (name, description, url); terms
(taxonomy codes); phones as (number, description); delivery; `region` for a regional service
(national otherwise); ages; `always_open` for a service open at any time of day; `key` and
`org_key` keep a renamed entry's ids (and so its links) the same."""

from __future__ import annotations

from typing import Any

GOV_UK_HWPV = "https://www.gov.uk/help-with-prison-visits"
PACT_TAKES_THE_HELPLINE = (
    "https://www.prisonadvice.org.uk/news/"
    "hmpps-national-helpline-for-prisoners-families-to-rebrand-as-pact-takes-the-reins"
)
KNOWN = "published by the organisation (checked 2025)"

NATIONAL_SERVICES: tuple[dict[str, Any], ...] = (
    {
        "organization": "Pact (Prison Advice and Care Trust)",
        "website": "https://www.prisonadvice.org.uk/",
        "name": "Prisoners' Families Helpline",
        "url": "https://www.prisonersfamilies.org/",
        "description": (
            "Free, confidential help for anyone with a family member or friend in the criminal "
            "justice system: arrest, court, visits, money worries and release. Run by Pact for "
            "HM Prison and Probation Service. You can also ask for a call back on the website."
        ),
        "terms": ["helplines", "visiting-support", "court-support", "resettlement"],
        "phones": [("0808 808 2003", "Free to call")],
        "by_phone": True,
        "online": True,
        "source": f"Pact's announcement that it runs the helpline on 0808 808 2003: "
        f"{PACT_TAKES_THE_HELPLINE}; web address {KNOWN}",
    },
    {
        "organization": "HM Prison and Probation Service",
        "website": "https://www.gov.uk/government/organisations/hm-prison-and-probation-service",
        "name": "Help with Prison Visits",
        "key": "Help with the cost of prison visits (Assisted Prison Visits)",
        "url": GOV_UK_HWPV,
        "description": (
            "If you are a close relative or partner (or the only visitor) and on a low income "
            "or certain benefits, you can claim help with the cost of visiting: travel, and "
            "sometimes an overnight stay and meals. Claim online, before or after the visit."
        ),
        "terms": ["visiting-support", "money-housing-benefits"],
        "phones": [("0300 063 2100", "Help with Prison Visits helpline")],
        "by_phone": True,
        "online": True,
        "source": f"GOV.UK, {GOV_UK_HWPV} and 'Help With Prison Visits: a guide to claiming' "
        "(updated 21 February 2024); phone number as published on GOV.UK (checked 2025)",
    },
    {
        "organization": "Samaritans",
        "website": "https://www.samaritans.org/",
        "name": "Samaritans",
        "description": (
            "Someone to talk to, day or night, whatever you are going through. Free from any "
            "phone. You can also e-mail jo@samaritans.org."
        ),
        "terms": ["helplines", "counselling-emotional-support"],
        "phones": [
            ("116 123", "Free, any time, day or night"),
            ("0808 164 0123", "Welsh language line (Llinell Gymraeg)"),
        ],
        "languages": [("en", "English"), ("cy", "Welsh")],
        "by_phone": True,
        "online": True,
        "always_open": True,
        "source": KNOWN,
    },
    {
        "organization": "Shout (Mental Health Innovations)",
        "org_key": "Shout",
        "website": "https://giveusashout.org/",
        "name": "Shout text support",
        "description": (
            "Free, confidential text support at any time if you are struggling to cope. "
            "Text SHOUT to 85258."
        ),
        "terms": ["helplines", "counselling-emotional-support"],
        "phones": [("85258", "Text SHOUT, free, any time")],
        "by_phone": True,
        "always_open": True,
        "source": KNOWN,
    },
    {
        "organization": "NHS",
        "website": "https://www.nhs.uk/",
        "name": "NHS 111",
        "url": "https://111.nhs.uk/",
        "description": (
            "Urgent medical help and advice when it isn't a 999 emergency, including for your "
            "mental health (choose the mental health option). Free, any time. In Wales, "
            "NHS 111 Wales: https://111.wales.nhs.uk/."
        ),
        "terms": ["helplines", "counselling-emotional-support"],
        "phones": [("111", "Free, any time, day or night")],
        "by_phone": True,
        "online": True,
        "always_open": True,
        "source": KNOWN,
    },
    {
        "organization": "NSPCC",
        "org_key": "Childline",
        "website": "https://www.nspcc.org.uk/",
        "name": "Childline",
        "url": "https://www.childline.org.uk/",
        "description": (
            "Free, private support for children and young people under 19: call, chat online "
            "with a counsellor, or use the message boards."
        ),
        "terms": ["helplines", "children-young-people", "counselling-emotional-support"],
        "phones": [("0800 1111", "Free")],
        "by_phone": True,
        "online": True,
        "maximum_age": 18,
        "source": KNOWN,
    },
    {
        "organization": "Citizens Advice",
        "website": "https://www.citizensadvice.org.uk/",
        "name": "Citizens Advice",
        "description": (
            "Free, independent advice on money, debt, benefits, housing, work and more: online, "
            "by phone, or at a local Citizens Advice."
        ),
        "terms": ["money-housing-benefits"],
        "phones": [
            ("0800 144 8848", "Adviceline (England)"),
            ("0800 702 2020", "Advicelink (Wales)"),
        ],
        "by_phone": True,
        "online": True,
        "in_person": True,
        "source": KNOWN,
    },
    {
        "organization": "Mind",
        "website": "https://www.mind.org.uk/",
        "name": "Mind Infoline",
        "description": (
            "Information about mental health problems, where to get help, treatments and your "
            "rights, from the mental health charity for England and Wales."
        ),
        "terms": ["helplines", "counselling-emotional-support"],
        "phones": [("0300 123 3393", "Local rate")],
        "by_phone": True,
        "online": True,
        "source": KNOWN,
    },
    {
        "organization": "Family Lives",
        "website": "https://www.familylives.org.uk/",
        "name": "Family Lives parenting helpline",
        "description": (
            "Free, confidential support for parents and carers with any part of family life, "
            "from a helpline, online chat and e-mail."
        ),
        "terms": ["helplines", "parenting"],
        "phones": [("0808 800 2222", "Free")],
        "by_phone": True,
        "online": True,
        "source": KNOWN,
    },
    {
        "organization": "Gingerbread",
        "website": "https://www.gingerbread.org.uk/",
        "name": "Gingerbread single parent helpline",
        "description": (
            "Advice for single parents (including when a partner is in prison) on money, "
            "benefits, work, housing and child maintenance."
        ),
        "terms": ["helplines", "money-housing-benefits", "parenting"],
        "phones": [("0808 802 0925", "Free")],
        "by_phone": True,
        "online": True,
        "source": KNOWN,
    },
    {
        "organization": "Children Heard and Seen",
        "website": "https://childrenheardandseen.co.uk/",
        "name": "Support for children with a parent in prison",
        "description": (
            "One-to-one and group support for children and young people who have a parent "
            "or relative in prison, and for their families."
        ),
        "terms": ["children-young-people", "peer-support"],
        "phones": [],
        "online": True,
        "source": KNOWN,
    },
    {
        "organization": "Storybook Dads",
        "website": "https://www.storybookdads.org.uk/",
        "name": "Bedtime stories from mum or dad",
        "description": (
            "Parents in prison record stories and messages for their children, "
            "so the children can hear their voice at home. Ask at the prison."
        ),
        "terms": ["children-young-people", "parenting"],
        "phones": [],
        "online": True,
        "source": KNOWN,
    },
    {
        "organization": "Barnardo's",
        "website": "https://www.barnardos.org.uk/",
        "name": "i-HOP: information for professionals supporting children of prisoners",
        "url": "https://www.i-hop.org.uk/",
        "description": (
            "Barnardo's national information hub for teachers, social workers and others who "
            "support children and families of people in prison: guides, training and a "
            "directory of services."
        ),
        "terms": ["children-young-people"],
        "phones": [],
        "online": True,
        "source": KNOWN,
    },
    {
        "organization": "Adfam",
        "website": "https://adfam.org.uk/",
        "name": "Adfam: help for families affected by drugs and alcohol",
        "description": (
            "Information for families and friends of people who use drugs or alcohol, and a "
            "way to find local family support groups."
        ),
        "terms": ["substance-misuse-families", "peer-support"],
        "phones": [],
        "online": True,
        "source": KNOWN,
    },
    {
        "organization": "NEPACS",
        "website": "https://www.nepacs.co.uk/",
        "name": "NEPACS family support",
        "description": (
            "Visitors' centres, play areas, family days and help with visits at prisons in the "
            "North East of England."
        ),
        "terms": ["visitors-centres", "family-days", "visiting-support"],
        "phones": [],
        "in_person": True,
        "region": "North East",
        "source": KNOWN,
    },
    {
        "organization": "Partners of Prisoners (POPS)",
        "website": "https://www.partnersofprisoners.co.uk/",
        "name": "POPS family support",
        "description": (
            "Support for families of people in the criminal justice system in the North West "
            "of England, from arrest to release, including visitors' centres."
        ),
        "terms": ["visitors-centres", "visiting-support", "court-support", "peer-support"],
        "phones": [],
        "in_person": True,
        "region": "North West",
        "source": KNOWN,
    },
    {
        "organization": "Ormiston Families",
        "website": "https://www.ormiston.org/",
        "name": "Ormiston Families: support for families affected by imprisonment",
        "description": (
            "Visitors' centres, family visits and support for children and families with a "
            "relative in prison, in the East of England."
        ),
        "terms": ["visitors-centres", "visiting-support", "children-young-people"],
        "phones": [],
        "in_person": True,
        "region": "East of England",
        "source": KNOWN,
    },
)
