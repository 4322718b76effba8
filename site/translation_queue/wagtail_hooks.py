"""The translation queue in Wagtail's admin: its URLs, menu item, bulk actions and dashboard
panels."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .bulk_actions import available_bulk_actions


@hooks.register("construct_homepage_panels")
def add_translation_summary_panel(request, panels):
    from .dashboard import TranslationSummaryPanel
    from .views import can_use_queue

    # Its counts link to the queue: only for those the queue lets in.
    if can_use_queue(request.user):
        panels.append(TranslationSummaryPanel())


@hooks.register("register_admin_urls")
def translation_queue_urls():
    from django.urls import include, path

    from . import urls as translation_queue_urls

    return [path("translation-queue/", include(translation_queue_urls))]


class TranslationQueueMenuItem(MenuItem):
    """Shown only to those the queue's views let in (translators, moderators, administrators)."""

    def is_shown(self, request):
        from .views import can_use_queue

        return can_use_queue(request.user)


@hooks.register("register_admin_menu_item")
def translation_queue_menu_item():
    from django.urls import reverse_lazy

    return TranslationQueueMenuItem(
        _("Translation queue"),
        reverse_lazy("translation_queue:index"),
        name="translation-queue",
        icon_name="site",
        order=250,
    )


@hooks.register("construct_homepage_panels")
def add_my_translations_panel(request, panels):
    from .views import MyTranslationsPanel

    panels.append(MyTranslationsPanel(request.user))


for bulk_action in available_bulk_actions():
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("register_admin_viewset")
def register_glossary_viewset():
    from .glossary import GlossaryViewSet

    return GlossaryViewSet()


@hooks.register("register_admin_viewset")
def register_translation_jobs():
    from .job_views import TranslationJobViewSet

    return TranslationJobViewSet()
