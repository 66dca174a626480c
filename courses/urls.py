from django.urls import path

from courses import needs_views, overview_views, views

app_name = "courses"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("lessons/<int:lesson_id>/", views.lesson_detail, name="lesson"),
    path("lessons/<int:lesson_id>/preview/", views.lesson_preview, name="preview"),
    path("lessons/<int:lesson_id>/done/", views.mark_done, name="mark-done"),
    path("lessons/<int:lesson_id>/video-progress/", views.video_progress, name="video-progress"),
    path("lessons/<int:lesson_id>/video/", views.video, name="video"),
    path(
        "lessons/<int:lesson_id>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("progress/<int:enrolment_id>/", views.enrolment_detail, name="enrolment"),
    path("recomputes/<int:recompute_id>/", views.recompute_status, name="recompute-status"),
    path("overview/", overview_views.overview_index, name="overview"),
    path("overview/groups/<int:group_id>/", overview_views.group_overview, name="overview-group"),
    path(
        "overview/groups/<int:group_id>/<str:slug>/",
        overview_views.group_course_overview,
        name="overview-group-course",
    ),
    path("overview/courses/<str:slug>/", overview_views.course_overview, name="overview-course"),
    path(
        "overview/schools/<int:school_id>/",
        overview_views.school_course_overview,
        name="overview-school",
    ),
    path("needs/", needs_views.needs_map, name="needs-map"),
    path("<str:slug>/", views.course_detail, name="course"),
    path("<str:slug>/enrol/", views.enrol, name="enrol"),
    path("<str:slug>/cover/", views.cover, name="cover"),
]
