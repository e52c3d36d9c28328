from django.apps import AppConfig


class PrisonsConfig(AppConfig):
    name = "homeward.prisons"
    label = "prisons"
    verbose_name = "Prison guide"

    def ready(self) -> None:
        from homeward.core import home
        from homeward.prisons import services

        services.register_data_handlers()
        home.register(
            home.Panel(
                "prisons",
                "prisons/_home_panel.html",
                lambda request: {"my_prisons": services.followed_prisons(request.user)},
                order=20,
            )
        )
        home.register(
            home.Panel(
                "prisons-visitors",
                "prisons/_home_panel_visitors.html",
                lambda request: {},
                audience="visitors",
                order=20,
            )
        )
