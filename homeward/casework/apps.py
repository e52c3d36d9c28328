from datetime import timedelta

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "homeward.casework"
    label = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        from homeward.casework.services import datarights, retention
        from homeward.core import schedule

        datarights.register()
        schedule.register("casework.retention", timedelta(days=1), retention.apply_retention)
