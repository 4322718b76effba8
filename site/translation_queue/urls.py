from django.urls import path

from . import comments, views

app_name = "translation_queue"
urlpatterns = [
    path("", views.QueueView.as_view(), name="index"),
    path("results/", views.QueueView.as_view(results_only=True), name="index_results"),
    path("assign/", views.assign, name="assign"),
    path("import/", views.import_po, name="import_po"),
    path("review/<int:page_id>/", views.send_for_review, name="send_for_review"),
    path("publish-snippet/<int:translation_id>/", views.publish_snippet, name="publish_snippet"),
    path("changes/<uuid:translation_key>/", views.changes, name="changes"),
    path("comments/<int:translation_id>/", comments.comment_segment, name="comment_segment"),
    path("comments/resolve/<int:comment_id>/", comments.resolve_comment, name="resolve_comment"),
    path("comments/edit/<int:comment_id>/", comments.edit_comment, name="edit_comment"),
]
