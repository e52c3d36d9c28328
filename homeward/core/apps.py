from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "homeward.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from homeward.core import datarights

        datarights.register_core_handlers()


class HomewardAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "homeward.core.admin_site.HomewardAdminSite"
