from django.urls import path

from homeward.prisons.views import members, pages, staff

app_name = "prisons"

urlpatterns = [
    path("", pages.index, name="index"),
    path("search/", pages.search, name="search"),
    path("help-with-costs/", pages.costs, name="costs"),
    path("mine/", members.mine, name="mine"),
    path("compare/<str:old>/<str:new>/", pages.compare, name="compare"),
    path("ours/", staff.partners, name="partners"),
    path("ours/<str:code>/remove/", staff.partner_remove, name="partner_remove"),
    path("alerts/<int:pk>/end/", staff.alert_end, name="alert_end"),
    path("tips/review/", staff.tip_queue, name="tip_queue"),
    path("tips/<int:pk>/review/", staff.tip_moderate, name="tip_moderate"),
    path("tips/<int:pk>/checked/", staff.tip_check, name="tip_check"),
    path("tips/<int:pk>/helpful/", members.tip_helpful, name="tip_helpful"),
    path("tips/<int:pk>/flag/", members.tip_flag, name="tip_flag"),
    path("<str:code>/", pages.detail, name="detail"),
    path("<str:code>/booklet/", pages.booklet, name="booklet"),
    path("<str:code>/follow/", members.follow, name="follow"),
    path("<str:code>/unfollow/", members.unfollow, name="unfollow"),
    path("<str:code>/moved/", members.moved, name="moved"),
    path("<str:code>/tips/", members.tip_add, name="tip_add"),
    path("<str:code>/alert/", staff.alert_new, name="alert_new"),
    path("<str:code>/guide/<str:topic>/", staff.section_edit, name="section_edit"),
]
