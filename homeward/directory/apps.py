from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "homeward.directory"
    label = "directory"
    verbose_name = "Directory of support services"

    def ready(self) -> None:
        from datetime import timedelta

        from homeward.core import home, schedule
        from homeward.core import search as fulltext
        from homeward.directory.models import Service
        from homeward.directory.search import searchable_services, service_document
        from homeward.directory.services.listings import remind_stale

        # Free text on /directory/ and the API's `search`: indexed by save_oruk_service.
        fulltext.register(Service, document=service_document, queryset=searchable_services)

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
