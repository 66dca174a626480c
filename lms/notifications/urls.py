from django.urls import path

from lms.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/", views.notification_open, name="open"),
    path("read/", views.notification_mark_all_read, name="mark-all-read"),
    path("settings/", views.notification_preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.notification_unsubscribe, name="unsubscribe"),
]
