from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "homeward.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from datetime import timedelta

        from homeward.core import datarights, schedule
        from homeward.core.notifications import enqueue_due_digests
        from homeward.core.retention import purge_expired

        datarights.register_core_handlers()
        schedule.register("digests", timedelta(minutes=15), enqueue_due_digests)
        schedule.register("retention", timedelta(days=1), purge_expired)


class HomewardAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "homeward.core.admin_site.HomewardAdminSite"
