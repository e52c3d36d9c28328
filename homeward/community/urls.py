from django.urls import path

from homeward.community.views import (
    conversations,
    drafts,
    health,
    members,
    moderation,
    pages,
    pictures,
    polls,
)

app_name = "community"

urlpatterns = [
    path("", pages.index, name="index"),
    path("latest/", pages.latest, name="latest"),
    path("bookmarks/", pages.bookmarks, name="bookmarks"),
    path("progress/", pages.progress, name="progress"),
    path("c/<slug:slug>/", pages.category, name="category"),
    path("c/<slug:slug>/new/", members.topic_new, name="topic_new"),
    path("t/<int:pk>/", pages.topic, name="topic"),
    path("t/<int:pk>/reply/", members.reply, name="reply"),
    path("t/<int:pk>/notifications/", members.topic_level, name="topic_level"),
    path("t/<int:pk>/draft/", drafts.reply_draft, name="reply_draft"),
    path("t/<int:pk>/poll/vote/", polls.poll_vote, name="poll_vote"),
    path("t/<int:pk>/poll/close/", polls.poll_close, name="poll_close"),
    path("c/<slug:slug>/new/draft/", drafts.topic_draft, name="topic_draft"),
    path("t/<int:pk>/pin/", moderation.topic_pin, name="topic_pin"),
    path("t/<int:pk>/close/", moderation.topic_close, name="topic_close"),
    path("t/<int:pk>/move/", moderation.topic_move, name="topic_move"),
    path("t/<int:pk>/split/", moderation.topic_split, name="topic_split"),
    path("p/<int:pk>/", pages.post_link, name="post"),
    path("p/<int:pk>/quote/", members.quote, name="quote"),
    path("p/<int:pk>/edit/", members.post_edit, name="post_edit"),
    path("p/<int:pk>/react/", members.react, name="react"),
    path("p/<int:pk>/bookmark/", members.bookmark, name="bookmark"),
    path("p/<int:pk>/delete/", moderation.post_delete, name="post_delete"),
    path("p/<int:pk>/history/", moderation.post_history, name="post_history"),
    path("p/<int:pk>/flag/", members.flag, name="flag"),
    path("pictures/<int:pk>/", pictures.picture, name="picture"),
    # Private conversations
    path("messages/", conversations.conversation_list, name="conversations"),
    path("messages/new/", conversations.conversation_new, name="conversation_new"),
    path("messages/people/", conversations.people, name="people"),
    path("messages/<int:pk>/", conversations.conversation, name="conversation"),
    path("messages/<int:pk>/reply/", conversations.conversation_reply, name="conversation_reply"),
    path("messages/m/<int:pk>/report/", conversations.message_report, name="message_report"),
    # Moderation
    # Community health (staff)
    path("health/", health.health_page, name="health"),
    path("health/weeks.csv", health.health_csv, name="health_csv"),
    path("review/", moderation.review_queue, name="review_queue"),
    path("review/<int:pk>/", moderation.review_act, name="review_act"),
    path("members/<int:pk>/", moderation.member_record, name="member_record"),
    path("watched-words/", moderation.watched_words, name="watched_words"),
    path("support-lines/", moderation.support_lines, name="support_lines"),
    path(
        "support-lines/<int:pk>/delete/",
        moderation.support_line_delete,
        name="support_line_delete",
    ),
    path(
        "watched-words/<int:pk>/delete/", moderation.watched_word_delete, name="watched_word_delete"
    ),
]
