from django.urls import path

from homeward.community.views import members, moderation, pages

app_name = "community"

urlpatterns = [
    path("", pages.index, name="index"),
    path("bookmarks/", pages.bookmarks, name="bookmarks"),
    path("progress/", pages.progress, name="progress"),
    path("c/<slug:slug>/", pages.category, name="category"),
    path("c/<slug:slug>/new/", members.topic_new, name="topic_new"),
    path("t/<int:pk>/", pages.topic, name="topic"),
    path("t/<int:pk>/reply/", members.reply, name="reply"),
    path("t/<int:pk>/pin/", moderation.topic_pin, name="topic_pin"),
    path("t/<int:pk>/close/", moderation.topic_close, name="topic_close"),
    path("p/<int:pk>/edit/", members.post_edit, name="post_edit"),
    path("p/<int:pk>/react/", members.react, name="react"),
    path("p/<int:pk>/bookmark/", members.bookmark, name="bookmark"),
    path("p/<int:pk>/delete/", moderation.post_delete, name="post_delete"),
    path("p/<int:pk>/history/", moderation.post_history, name="post_history"),
]
