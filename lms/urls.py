"""The composition root: the only place, with the dashboard, that knows every app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lms import views
from lms.forms import SetPasswordLinkForm, SignInForm

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/profile/", views.profile, name="profile"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=SetPasswordLinkForm),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("language/", views.switch_language, name="set_language"),
    path("schools/", views.school_list, name="school-list"),
    path("schools/<int:school_id>/teachers/", views.school_teachers, name="school-teachers"),
    path(
        "schools/<int:school_id>/teachers/<int:teacher_id>/invite/",
        views.teacher_invite_again,
        name="teacher-invite",
    ),
    path(
        "schools/<int:school_id>/teachers/<int:teacher_id>/deactivate/",
        views.teacher_deactivate,
        name="teacher-deactivate",
    ),
    path(
        "schools/<int:school_id>/teachers/<int:teacher_id>/reactivate/",
        views.teacher_reactivate,
        name="teacher-reactivate",
    ),
    path("schools/<int:school_id>/roster/", views.roster_upload, name="roster-import"),
    path("roster-template.csv", views.roster_template, name="roster-template"),
    path("notifications/", include("lms.notifications.urls")),
    path("diagnostics/", include("diagnostics.urls")),
    path("library/", include("library.urls")),
    path("courses/", include("courses.urls")),
    path("forums/", include("forums.urls")),
    path("certificates/", include("courses.certificates.urls")),
    path("portfolio/", include("courses.portfolio.urls")),
    path("assignments/", include("courses.assignments.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
