from django.urls import path

from courses.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.my_portfolio, name="mine"),
    path("teachers/<int:user_id>/", views.teacher_portfolio, name="teacher"),
    path("reflections/new/", views.reflection_edit, name="reflection-new"),
    path("reflections/<int:reflection_id>/", views.reflection_edit, name="reflection-edit"),
    path(
        "reflections/<int:reflection_id>/delete/",
        views.reflection_delete,
        name="reflection-delete",
    ),
    path("share/", views.share, name="share"),
    path("directory-choice/", views.directory_choice, name="directory-choice"),
    path("directory/", views.directory, name="directory"),
    path("shared/<str:token>/", views.shared_portfolio, name="shared"),
]
