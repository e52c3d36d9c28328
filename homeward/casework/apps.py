from datetime import timedelta

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "homeward.casework"
    label = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from homeward.casework.home import family_panel
        from homeward.casework.services import datarights, onward, retention
        from homeward.core import home, schedule

        # A new organisation starts with the default onward-referral partners and rules.
        post_save.connect(
            onward.organisation_made,
            sender="accounts.Organisation",
            dispatch_uid="casework.partners",
        )
        datarights.register()
        home.register(home.Panel("casework", "casework/_home_panel.html", family_panel, order=25))
        schedule.register("casework.retention", timedelta(days=1), retention.apply_retention)
