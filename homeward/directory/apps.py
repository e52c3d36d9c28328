from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "homeward.directory"
    label = "directory"
    verbose_name = "Directory of support services"

    def ready(self) -> None:
        from datetime import timedelta

        from homeward.core import home, schedule
        from homeward.directory.services.listings import remind_stale

        home.register(
            home.Panel(
                "directory",
                "directory/_home_panel.html",
                lambda request: {},
                audience="everyone",
                order=30,
            )
        )
        # Listings not checked for three months: remind their owners (once per stale spell).
        schedule.register("directory-stale-listings", timedelta(days=1), remind_stale)
