"""Organisations made before casework gave every new one its default partners and routing
rules (services.onward.organisation_made) get them now, as the first page that needed them
used to give them; an organisation with partners of its own keeps its choices."""

from django.db import migrations

# services.onward.DEFAULT_RULES as it was when this migration was written (seed 004).
DEFAULT_RULES = (
    ("Local Children's Centre", 0, 4, "Stay and play, health visitors and parenting support."),
    ("Families First", 5, 19, "Early help for families with children and young people."),
)


def give_defaults(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Partner = apps.get_model("casework", "Partner")
    RoutingRule = apps.get_model("casework", "RoutingRule")
    with_partners = Partner.objects.values("organisation_id")
    for organisation in Organisation.objects.exclude(pk__in=with_partners):
        for position, (name, low, high, offers) in enumerate(DEFAULT_RULES, start=1):
            partner = Partner.objects.create(organisation=organisation, name=name, offers=offers)
            RoutingRule.objects.create(
                organisation=organisation, partner=partner, min_age=low, max_age=high,
                position=position,
            )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0003_partner_details_rule_order"),
        ("accounts", "__first__"),
    ]

    operations = [migrations.RunPython(give_defaults, migrations.RunPython.noop)]
