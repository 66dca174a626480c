from django.urls import path

from library import views

app_name = "library"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("shelf/", views.shelf, name="shelf"),
    path("resources/<int:resource_id>/", views.resource_detail, name="resource"),
    path("resources/<int:resource_id>/file/", views.resource_file, name="file"),
    path("resources/<int:resource_id>/cover/", views.resource_cover, name="cover"),
    path("resources/<int:resource_id>/open/", views.external, name="external"),
    path("resources/<int:resource_id>/shelf/", views.bookmark, name="bookmark"),
    path("collections/<slug:slug>/", views.collection_detail, name="collection"),
]
