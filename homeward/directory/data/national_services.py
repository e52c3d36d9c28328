"""Real services that families in England and Wales use, as plain facts (name, what it offers,
phone, web address). Checked by hand; where a phone number could not be confirmed it is left out
rather than guessed. Families Outside is left out: it serves Scotland only.

Each entry: organisation, its website, the service, what it offers, terms (taxonomy codes),
phones, delivery, whether it is national (England and Wales) or the region it serves, ages."""

from __future__ import annotations

from typing import Any

NATIONAL_SERVICES: tuple[dict[str, Any], ...] = (
    {
        "organization": "Pact (Prison Advice and Care Trust)",
        "website": "https://www.prisonadvice.org.uk/",
        "name": "Prisoners' Families Helpline",
        "description": (
            "Free, confidential help for anyone with a family member or friend in the criminal "
            "justice system: arrest, court, visits, money worries and release."
        ),
        "terms": ["helplines", "visiting-support", "court-support", "resettlement"],
        "phones": [("0808 808 2003", "Free to call")],
        "by_phone": True,
        "online": True,
    },
    {
        "organization": "Samaritans",
        "website": "https://www.samaritans.org/",
        "name": "Samaritans",
        "description": "Someone to talk to, day or night, whatever you are going through.",
        "terms": ["helplines", "counselling-emotional-support"],
        "phones": [("116 123", "Free, any time, day or night")],
        "by_phone": True,
        "online": True,
        "always_open": True,
    },
    {
        "organization": "Shout",
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
    },
    {
        "organization": "Childline",
        "website": "https://www.childline.org.uk/",
        "name": "Childline",
        "description": "Free, private support for children and young people under 19.",
        "terms": ["helplines", "children-young-people", "counselling-emotional-support"],
        "phones": [("0800 1111", "Free")],
        "by_phone": True,
        "online": True,
        "maximum_age": 18,
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
    },
    {
        "organization": "Storybook Dads",
        "website": "https://www.storybookdads.org.uk/",
        "name": "Bedtime stories from mum or dad",
        "description": (
            "Parents in prison record stories and messages for their children, "
            "so the children can hear their voice at home."
        ),
        "terms": ["children-young-people", "parenting"],
        "phones": [],
        "online": True,
    },
    {
        "organization": "Citizens Advice",
        "website": "https://www.citizensadvice.org.uk/",
        "name": "Citizens Advice",
        "description": "Free, independent advice on money, debt, benefits, housing and more.",
        "terms": ["money-housing-benefits"],
        "phones": [
            ("0800 144 8848", "Adviceline (England)"),
            ("0800 702 2020", "Advicelink (Wales)"),
        ],
        "by_phone": True,
        "online": True,
        "in_person": True,
    },
    {
        "organization": "HM Prison and Probation Service",
        "website": "https://www.gov.uk/help-with-prison-visits",
        "name": "Help with the cost of prison visits (Assisted Prison Visits)",
        "description": (
            "If you get certain benefits, you may get help with travel, an overnight stay and "
            "food on the way to a visit."
        ),
        "terms": ["visiting-support", "money-housing-benefits"],
        "phones": [("0300 063 2100", "Assisted Prison Visits helpline")],
        "by_phone": True,
        "online": True,
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
    },
)
