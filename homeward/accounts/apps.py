from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "homeward.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from homeward.accounts import profiles, services, signals  # noqa: F401

        services.register_data_handlers()
        profiles.register_data_handlers()
