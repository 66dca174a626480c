from django.urls import path

from courses.assignments import views

app_name = "assignments"

urlpatterns = [
    path("review/", views.queue, name="queue"),
    path("<int:assignment_id>/", views.assignment_page, name="assignment"),
    path("<int:assignment_id>/autosave/", views.draft_autosave, name="autosave"),
    path("works/<int:submission_id>/", views.submission_detail, name="submission"),
    path("files/<int:file_id>/", views.work_file, name="file"),
]
