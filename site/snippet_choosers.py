"""Snippet choosers whose texts follow the admin language of each request.

Wagtail's `AdminSnippetChooser` writes "Choose %(object)s", "Choose another %(object)s" and
"Edit this %(object)s" with the snippet's name when the widget is made: once, when the snippet
is registered at start-up, so in the default language. A French admin then read "Choose
resource type". These widgets translate the same texts (Wagtail's catalogue has their French)
each time they are shown. A snippet viewset uses them with
`chooser_viewset_class = TranslatedSnippetChooserViewSet`.
"""

from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.widgets import AdminSnippetChooser


def _about_model(message, model):
    return gettext(message) % {"object": model._meta.verbose_name}


_lazy_about_model = lazy(_about_model, str)


class TranslatedSnippetChooser(AdminSnippetChooser):
    def __init__(self, model, **kwargs):
        super().__init__(model, **kwargs)
        self.choose_one_text = _lazy_about_model("Choose %(object)s", model)
        self.choose_another_text = _lazy_about_model("Choose another %(object)s", model)
        self.link_to_chosen_text = _lazy_about_model("Edit this %(object)s", model)


class TranslatedSnippetChooserViewSet(SnippetChooserViewSet):
    @cached_property
    def widget_class(self):
        return TranslatedSnippetChooser(model=self.model, icon=self.icon)
