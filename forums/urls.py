from django.urls import path

from forums.views import browse, moderation, posting, round_tables
from forums.views.feeds import ForumFeed

app_name = "forums"

urlpatterns = [
    path("", browse.forum_index, name="index"),
    path("search/", browse.search, name="search"),
    path("moderation/", moderation.queue, name="queue"),
    path("groups/<int:group_id>/", browse.group_forum, name="group"),
    path("courses/<int:course_id>/", browse.course_forum, name="course"),
    path("<int:forum_id>/", browse.forum_detail, name="forum"),
    path("<int:forum_id>/new/", posting.topic_new, name="topic-new"),
    path("<int:forum_id>/follow/", posting.forum_follow, name="forum-follow"),
    path("<int:forum_id>/feed/", ForumFeed(), name="feed"),
    path("<int:forum_id>/digest/", browse.forum_digest, name="digest"),
    path("topics/<int:topic_id>/", browse.topic_detail, name="topic"),
    path("topics/<int:topic_id>/reply/", posting.post_reply, name="reply"),
    path("topics/<int:topic_id>/follow/", posting.topic_follow, name="topic-follow"),
    path("topics/<int:topic_id>/move/", moderation.topic_move_view, name="topic-move"),
    path("topics/<int:topic_id>/<slug:action>/", moderation.topic_action, name="topic-moderate"),
    path("posts/<int:post_id>/", browse.post_detail, name="post"),
    path("posts/<int:post_id>/edit/", posting.post_edit, name="post-edit"),
    path("posts/<int:post_id>/delete/", posting.post_delete, name="post-delete"),
    path("posts/<int:post_id>/helpful/", posting.post_helpful, name="post-helpful"),
    path("posts/<int:post_id>/accept/", posting.post_accept, name="post-accept"),
    path("posts/<int:post_id>/report/", posting.post_report, name="post-report"),
    path("posts/<int:post_id>/mod/<slug:action>/", moderation.post_action, name="post-moderate"),
    path("reports/<int:report_id>/dismiss/", moderation.report_dismiss_view, name="report-dismiss"),
    path("attachments/<int:attachment_id>/", browse.attachment_download, name="attachment"),
    path("round-tables/", round_tables.round_table_list, name="round-tables"),
    path("round-tables/new/", round_tables.round_table_new, name="round-table-new"),
    path("round-tables/<int:round_table_id>/", round_tables.round_table_detail, name="round-table"),
    path(
        "round-tables/<int:round_table_id>/register/",
        round_tables.round_table_register,
        name="round-table-register",
    ),
    path(
        "round-tables/<int:round_table_id>/calendar.ics",
        round_tables.round_table_calendar,
        name="round-table-ics",
    ),
    path(
        "round-tables/<int:round_table_id>/join/",
        round_tables.round_table_join,
        name="round-table-join",
    ),
    path(
        "round-tables/<int:round_table_id>/attendance/",
        round_tables.round_table_attendance,
        name="round-table-attendance",
    ),
    path(
        "round-tables/<int:round_table_id>/outcomes/",
        round_tables.round_table_outcomes,
        name="round-table-outcomes",
    ),
]
