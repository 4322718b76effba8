"""The document chooser tells editors when no text could be read from a PDF.

A document uploaded from the chooser's "Upload" tab of a page (a resource's downloads) closes the
modal at once: the note that the documents' own pages show (`text_extraction_note`, see
resources/signals.py) would never be seen there. So wherever the chooser names a document, in
the modal's answer and in the widget of the page form, the note follows its title: "Annual
report (No text was found in this PDF...)". Editors then know, before publishing, that the
library search will not find the resource by the text of that file.

Wagtail builds the chooser's views from the classes of its viewset when the admin's URLs are
first loaded, so `ResourcesConfig.ready()` sets ours there (`use_noted_chooser_views`).
"""

from django.utils.translation import gettext as _
from wagtail.documents.views import chooser as wagtail_chooser
from wagtail.documents.widgets import AdminDocumentChooser


def title_with_note(document):
    note = getattr(document, "text_extraction_note", "")
    if not note:
        return document.title
    return _("%(title)s (%(note)s)") % {"title": document.title, "note": note}


class NotedTitleMixin:
    def get_display_title(self, instance):
        return title_with_note(instance)


class NotedDocumentChooserUploadView(NotedTitleMixin, wagtail_chooser.DocumentChooserUploadView):
    pass


class NotedDocumentChosenView(NotedTitleMixin, wagtail_chooser.DocumentChosenView):
    pass


class NotedDocumentChosenMultipleView(NotedTitleMixin, wagtail_chooser.DocumentChosenMultipleView):
    pass


class NotedDocumentChooser(NotedTitleMixin, AdminDocumentChooser):
    """The widget of a document field, showing the note after the page form is reloaded."""


def use_noted_chooser_views():
    viewset = wagtail_chooser.viewset
    viewset.create_view_class = NotedDocumentChooserUploadView
    viewset.chosen_view_class = NotedDocumentChosenView
    viewset.chosen_multiple_view_class = NotedDocumentChosenMultipleView
