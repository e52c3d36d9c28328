from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "homeward.events"
    label = "events"
    verbose_name = "Events and announcements"

    def ready(self) -> None:
        from datetime import timedelta

        from homeward.core import home, schedule
        from homeward.events import services

        services.register_data_handlers()
        # The next events a member may see and current announcements: two small queries.
        home.register(
            home.Panel(
                "events",
                "events/_home_panel.html",
                lambda request: services.home_items(request.user),
                order=15,
            )
        )
        # Reminders go out when an event is within EVENT_REMINDER_HOURS; each RSVP is claimed
        # before its e-mail, so running often (or twice) never sends one twice.
        schedule.register("events-reminders", timedelta(minutes=15), services.queue_due_reminders)
