"""Admin for the library: the taxonomies editors manage (snippets, translatable), grouped in one
menu, and a listing of every resource."""

import django_filters
from django.db.models.functions import ExtractYear
from django.forms import CheckboxSelectMultiple
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.documents.views import multiple as multiple_documents
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from ngo_site.page_cache import lazily
from ngo_site.snippet_choosers import TranslatedSnippetChooserViewSet
from programmes.models import ProgrammePage
from programmes.queries import PROGRAMME_PAGE_REGIONS_HOOK, PROJECT_PAGE_REGIONS_HOOK

from .models import RESOURCE_LANGUAGES, Region, ResourcePage, ResourceType, Theme


class ResourceTypeViewSet(SnippetViewSet):
    model = ResourceType
    chooser_viewset_class = TranslatedSnippetChooserViewSet
    icon = "tag"
    list_display = ["name", "citation_type", "locale"]
    # Translatable snippets also get Wagtail's own language filter.
    list_filter = ["citation_type"]
    search_fields = ["name"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    chooser_viewset_class = TranslatedSnippetChooserViewSet
    icon = "tag"
    list_display = ["name", "locale"]
    search_fields = ["name"]


class RegionViewSet(SnippetViewSet):
    model = Region
    chooser_viewset_class = TranslatedSnippetChooserViewSet
    icon = "site"
    list_display = ["name", "kind", "locale"]
    list_filter = ["kind"]
    search_fields = ["name"]


class LibraryTaxonomiesGroup(SnippetViewSetGroup):
    items = (ResourceTypeViewSet, ThemeViewSet, RegionViewSet)
    menu_icon = "tag"
    menu_label = _("Library terms")
    menu_name = "library-terms"
    menu_order = 120


register_snippet(LibraryTaxonomiesGroup)


def _years(request=None):
    years = (
        ResourcePage.objects.exclude(publication_date=None)
        .annotate(year=ExtractYear("publication_date"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return [(year, str(year)) for year in years]


def _programmes(request):
    return ProgrammePage.objects.order_by("locale_id", "title")


class ResourceFilterSet(PageFilterSet):
    """Issue 7: filter the resources by type, programme, year and language."""

    resource_type = django_filters.ModelMultipleChoiceFilter(
        label=_("Resource type"),
        queryset=ResourceType.objects.select_related("locale").order_by("locale_id", "name"),
        widget=CheckboxSelectMultiple,
    )
    programme = django_filters.ModelMultipleChoiceFilter(
        label=_("Programme"),
        field_name="programme_links__programme",
        queryset=_programmes,
        widget=CheckboxSelectMultiple,
        distinct=True,
    )
    year = django_filters.MultipleChoiceFilter(
        label=_("Year"),
        field_name="publication_date__year",
        choices=_years,
        widget=CheckboxSelectMultiple,
    )
    language = django_filters.MultipleChoiceFilter(
        label=_("Language of the resource"),
        field_name="languages__language",
        choices=RESOURCE_LANGUAGES,
        widget=CheckboxSelectMultiple,
        distinct=True,
    )

    class Meta:
        model = ResourcePage
        fields = []


class ResourceIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("resource_type")
            .prefetch_related("programme_links__programme", "languages")
        )


def programme_titles(resource):
    return ", ".join(link.programme.title for link in resource.programme_links.all())


LANGUAGE_NAMES = dict(RESOURCE_LANGUAGES)


def language_names(resource):
    return ", ".join(
        str(LANGUAGE_NAMES.get(row.language, row.language)) for row in resource.languages.all()
    )


class ResourceListingViewSet(PageListingViewSet):
    model = ResourcePage
    index_view_class = ResourceIndexView
    filterset_class = ResourceFilterSet
    columns = [
        *IndexView.base_columns,
        Column("resource_type", label=_("Type"), accessor="resource_type"),
        Column("programmes", label=_("Programmes"), accessor=programme_titles),
        Column("languages", label=_("Languages"), accessor=language_names),
        DateColumn("publication_date", label=_("Published"), sort_key="publication_date"),
    ]
    icon = "doc-full"
    menu_label = _("Resources")
    add_to_admin_menu = True
    menu_order = 112


@hooks.register("register_admin_viewset")
def register_resource_listing():
    return ResourceListingViewSet("resources")


# Documents uploaded several at a time get Wagtail's generic edit form; this copy of it also says
# what the library's full-text search could read of each file (an unreadable PDF's note).
multiple_documents.AddView.edit_form_template_name = "wagtaildocs/multiple/edit_form.html"


@hooks.register("ngo_site_home_regions")
def latest_resources(home_page):
    """The newest published resources in the home page's language (ngo_site.home)."""
    from .queries import latest_resources as newest

    return lazily(
        lambda: {"latest_resources": newest(home_page.locale_id, home_page.latest_resources_count)},
        ("latest_resources",),
    )


@hooks.register(PROGRAMME_PAGE_REGIONS_HOOK)
def featured_resources(programme):
    """The resources editors feature on a programme page, in its language, computed when the
    template uses them (programmes.queries.registered_regions)."""
    from .queries import chosen_resources

    return lazily(
        lambda: {
            "featured_resources": chosen_resources(
                programme.featured_resources, programme.locale_id
            )
        },
        ("featured_resources",),
    )


@hooks.register(PROJECT_PAGE_REGIONS_HOOK)
def related_resources(project):
    """The resources editors list on a project page, in its language, computed when the
    template uses them (programmes.queries.registered_regions)."""
    from .queries import chosen_resources

    return lazily(
        lambda: {
            "related_resources": chosen_resources(project.related_resources, project.locale_id)
        },
        ("related_resources",),
    )


@hooks.register("ngo_site_visitor_urls")
def library_urls():
    """The library's feed and citation downloads, under each language prefix (ngo_site.urls)."""
    from .urls import urlpatterns

    return urlpatterns
