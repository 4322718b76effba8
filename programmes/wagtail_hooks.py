"""Admin menu entries that list every programme and every project, wherever they sit in the tree,
with an icon of their own so editors tell the page types apart."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.pages import PageListingViewSet

from ngo_site.page_cache import lazily

from .models import ProgrammePage, ProjectPage


class ProgrammeListingViewSet(PageListingViewSet):
    model = ProgrammePage
    icon = "clipboard-list"
    menu_label = _("Programmes")
    add_to_admin_menu = True
    menu_order = 110


class ProjectListingViewSet(PageListingViewSet):
    model = ProjectPage
    icon = "globe"
    menu_label = _("Projects")
    add_to_admin_menu = True
    menu_order = 111


@hooks.register("register_admin_viewset")
def register_programme_listings():
    return [
        ProgrammeListingViewSet("programmes"),
        ProjectListingViewSet("projects"),
    ]


@hooks.register("ngo_site_home_regions")
def featured_programmes(home_page):
    """The home page's cards: the programmes editors picked, in the home page's language, in a
    fixed number of queries (ngo_site.home)."""
    from .queries import chosen_programmes

    return lazily(
        lambda: {
            "featured_programmes": chosen_programmes(
                home_page.featured_programmes, home_page.locale_id
            )
        },
        ("featured_programmes",),
    )
