from django.apps import AppConfig


class PrisonsConfig(AppConfig):
    name = "homeward.prisons"
    label = "prisons"
    verbose_name = "Prison guide"
