from django.urls import path

from courses import views

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
    path("<str:slug>/", views.course_detail, name="course"),
    path("<str:slug>/enrol/", views.enrol, name="enrol"),
    path("<str:slug>/cover/", views.cover, name="cover"),
]
