from django.urls import URLPattern, path

from homeward.directory import views

app_name = "directory"

urlpatterns: list[URLPattern] = [
    path("", views.find, name="find"),
    path("services/<uuid:pk>/", views.service_detail, name="service"),
    path("services/<uuid:pk>/request/", views.request_support, name="request_support"),
    path("staff/", views.listings, name="listings"),
    path("staff/new/", views.listing_new, name="listing_new"),
    path("staff/<uuid:pk>/edit/", views.listing_edit, name="listing_edit"),
    path("staff/<uuid:pk>/checked/", views.listing_assured, name="listing_assured"),
]
