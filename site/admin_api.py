"""The admin API's pages endpoint, readable for translators on the source language's pages.

wagtail-localize's translation editor shows the pages a segment links to by fetching
`/admin/api/main/pages/<id>/`. Wagtail's endpoint only answers for the pages the user may
explore (pages they hold a permission on, and their ancestors): a translator, who holds rights
on the French tree only, got a 404 for every linked English page and the editor said "Fetching
page information..." for ever.

This endpoint, registered in place of Wagtail's through the `construct_admin_api` hook (the
way Wagtail adds its images and documents endpoints), widens the *detail* view only: someone
who may translate (wagtail-localize's "submit translation" permission) reads the title and
metadata of any page in the language translations are made from. The listing, the explorer
filters and the page actions (`action_view`) keep Wagtail's explorable pages, so nothing
changes on the English tree for a translator: its edit, publish, move and delete views still
refuse them (tests/localisation/test_translator_reads_linked_pages.py).
"""

from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.models import Page

from .roles import source_language

TRANSLATE_PERMISSION = "wagtail_localize.submit_translation"


def may_read_source_pages(user):
    return user.is_authenticated and user.has_perm(TRANSLATE_PERMISSION)


class TranslatorReadablePagesAdminAPIViewSet(PagesAdminAPIViewSet):
    def get_base_queryset(self):
        explorable = super().get_base_queryset()
        if self.action != "detail_view" or not may_read_source_pages(self.request.user):
            return explorable
        return explorable | Page.objects.filter(locale__language_code=source_language())
