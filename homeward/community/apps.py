from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "homeward.community"
    label = "community"
    verbose_name = "Community"
