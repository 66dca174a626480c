from django.urls import path

from courses import needs_views, overview_views, views
from courses.h5p import views as h5p_views
from courses.quizzes import views as quiz_views

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
    path("lessons/<int:lesson_id>/quiz/start/", quiz_views.quiz_start, name="quiz-start"),
    path("quiz-attempts/<int:attempt_id>/", quiz_views.quiz_attempt, name="quiz-attempt"),
    path("quiz-attempts/<int:attempt_id>/submit/", quiz_views.quiz_submit, name="quiz-submit"),
    path("lessons/<int:lesson_id>/h5p/", h5p_views.h5p_file, {"path": "h5p.json"}, name="h5p-root"),
    path("lessons/<int:lesson_id>/h5p/result/", h5p_views.h5p_result, name="h5p-result"),
    path("lessons/<int:lesson_id>/h5p/<path:path>", h5p_views.h5p_file, name="h5p-file"),
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
