from django.urls import path

from homeward.accounts import mfa_views, profile_views, views

app_name = "accounts"

urlpatterns = [
    path("join/", views.join_start, name="join_start"),
    path("join/<str:code>/", views.join, name="join"),
    path("welcome/", views.welcome, name="welcome"),
    path("settings/", views.account_settings, name="settings"),
    path("settings/export/", views.export_data, name="export"),
    path("settings/delete/", views.delete_account, name="delete"),
    path("settings/profile/", profile_views.profile_edit, name="profile_edit"),
    path("u/<str:username>/", profile_views.profile, name="profile"),
    path("u/<str:username>/picture/", profile_views.avatar, name="avatar"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/join-cards/", views.cards_list, name="cards_list"),
    path("staff/join-cards/new/", views.cards_new, name="cards_new"),
    path("staff/join-cards/<int:pk>/", views.cards_detail, name="cards_detail"),
    path("staff/join-cards/<int:pk>/print/", views.cards_print, name="cards_print"),
    path("staff/join-cards/<int:pk>/revoke/", views.cards_revoke, name="cards_revoke"),
    # allauth's own address (and name, through allauth.urls, which comes after this URLconf):
    # the same view, in one transaction.
    path("accounts/2fa/totp/deactivate/", mfa_views.deactivate_totp),
]
