from django.urls import path

from courses.certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<int:certificate_id>/pdf/", views.certificate_download, name="pdf"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify-code"),
]
