from django.contrib import admin
from django.urls import include, path

from homeward.directory.api import api as oruk_api

urlpatterns = [
    path("", include("homeward.core.urls")),
    path("", include("homeward.accounts.urls")),
    path("community/", include("homeward.community.urls")),
    path("prisons/", include("homeward.prisons.urls")),
    path("directory/", include("homeward.directory.urls")),
    path("casework/", include("homeward.casework.urls")),
    path("events/", include("homeward.events.urls")),
    path("api/oruk/", oruk_api.urls),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "homeward.core.views.errors.bad_request"
handler403 = "homeward.core.views.errors.permission_denied"
handler404 = "homeward.core.views.errors.page_not_found"
handler500 = "homeward.core.views.errors.server_error"
handler429 = "homeward.core.views.errors.too_many_requests"
