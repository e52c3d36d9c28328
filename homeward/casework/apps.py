from datetime import timedelta

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "homeward.casework"
    label = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        from homeward.casework.home import family_panel
        from homeward.casework.services import datarights, retention
        from homeward.core import home, schedule

        datarights.register()
        home.register(home.Panel("casework", "casework/_home_panel.html", family_panel, order=25))
        schedule.register("casework.retention", timedelta(days=1), retention.apply_retention)
