from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "homeward.directory"
    label = "directory"
    verbose_name = "Directory of support services"
