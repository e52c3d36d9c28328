from django.urls import path

from homeward.core.views import health, notifications, pages, search

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("search/", search.search_page, name="search"),
]
