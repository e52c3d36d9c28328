from django.urls import URLPattern, URLResolver, path

from homeward.events.views import members, staff

app_name = "events"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", members.index, name="index"),
    path("past/", members.past, name="past"),
    path("<int:pk>/", members.detail, name="detail"),
    path("<int:pk>/rsvp/", members.rsvp, name="rsvp"),
    path("<int:pk>/calendar.ics", members.ics, name="calendar"),
    path("staff/", staff.manage, name="manage"),
    path("staff/new/", staff.create, name="create"),
    path("staff/<int:pk>/edit/", staff.edit, name="edit"),
    path("staff/<int:pk>/cancel/", staff.cancel, name="cancel"),
    path("staff/<int:pk>/attendees/", staff.attendees, name="attendees"),
    path("staff/<int:pk>/attendees.csv", staff.attendees_csv, name="attendees_csv"),
    path("staff/announcements/new/", staff.announcement_new, name="announcement_new"),
    path("staff/announcements/<int:pk>/edit/", staff.announcement_edit, name="announcement_edit"),
    path("staff/announcements/<int:pk>/end/", staff.announcement_end, name="announcement_end"),
]
