from django.urls import path

from . import views

urlpatterns = [
    path("library-feed/", views.feed, name="resources_feed"),
    path(
        "library-cite/<int:pk>.<str:extension>",
        views.citation_download,
        name="resources_citation",
    ),
]
