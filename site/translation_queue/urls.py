from django.urls import path

from . import views

app_name = "translation_queue"
urlpatterns = [
    path("", views.queue, name="index"),
    path("assign/", views.assign, name="assign"),
    path("changes/<uuid:translation_key>/", views.changes, name="changes"),
]
