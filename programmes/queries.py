"""The queries behind programme and project pages, kept out of templates.

Each list is fetched in a fixed number of queries whatever its length (joins for the card image,
one prefetch for all the renditions), so a programme with 30 projects costs what one with 3
costs. tests/programmes/test_query_budgets.py holds the counts.

Programmes import no other domain app (tests/site/test_app_dependencies.py): what other
apps show on a programme or project page (the library's featured and related resources) they
register with Wagtail's hooks `programmes_programme_page_regions` and
`programmes_project_page_regions`, read by `registered_regions`.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from wagtail import hooks
from wagtail.models import Page

from ngo_site.cards import with_card_images
from ngo_site.localisation import default_locale, localized, prefer_locale
from ngo_site.visibility import private_sections

from . import maps
from .models import (
    ProgrammePage,
    ProjectContribution,
    ProjectPage,
    programme_colour_of_path,
)


def programmes_of(index_page, private=None):
    """The published programmes under the programme index, in the editors' tree order."""
    private = private or private_sections()
    programmes = ProgrammePage.objects.child_of(index_page).live()
    return list(with_card_images(private.exclude_from(programmes)))


def programme_projects(programme, private):
    """The published projects of a programme (its child pages, in tree order) and, in the same
    query, those of other programmes it contributes to (`ProjectContribution` rows naming it),
    each of these with `contribution`: what the programme does in it.

    A contribution row belongs to a project in one language and names the programme in that
    language (or the original, when the programme was not translated yet), so contributed
    projects are found by the programme's translation key; of a project found in several
    languages the programme's is listed, else the project's translation in that language when
    there is one, else the project as found (ngo_site.localisation's rule)."""
    contributions = ProjectContribution.objects.filter(
        programme__translation_key=programme.translation_key
    )
    its_part = contributions.filter(project=OuterRef("pk")).order_by("sort_order")
    projects = (
        ProjectPage.objects.live()
        .filter(
            ProjectPage.objects.child_of_q(programme) | Q(pk__in=contributions.values("project_id"))
        )
        .annotate(contribution=Subquery(its_part.values("contribution")[:1]))
        # The body is not shown on cards and is the heaviest column: leave it in the database.
        .defer("body")
        .order_by("path")
    )
    own, contributed = [], []
    for project in with_card_images(private.exclude_from(projects)):
        (own if project.is_child_of(programme) else contributed).append(project)
    contributed = list(prefer_locale(contributed, programme.locale_id).values())
    translations = with_card_images(private.exclude_from(ProjectPage.objects.live().defer("body")))
    shown = localized(contributed, programme.locale_id, translations)
    for project, found in zip(shown, contributed, strict=True):
        project.contribution = found.contribution
    return own, shown


def other_programmes(programme, private):
    """The programme's published siblings, for the "other programmes" list (title and summary:
    no images, so no renditions to fetch)."""
    siblings = ProgrammePage.objects.sibling_of(programme, inclusive=False).live()
    return list(private.exclude_from(siblings).defer("overview", "activities", "how_we_work"))


def chosen_programmes(links, locale_id):
    """The programmes of `links` (e.g. the home page's featured programme rows, in the editors'
    order) that are published and public, each in `locale_id` when translated."""
    private = private_sections()
    page_ids = [link.page_id for link in links.all()]
    by_id = {
        page.pk: page for page in with_card_images(ProgrammePage.objects.filter(pk__in=page_ids))
    }
    chosen = [by_id[page_id] for page_id in page_ids if page_id in by_id]
    translations = with_card_images(private.exclude_from(ProgrammePage.objects.live()))
    programmes = localized(chosen, locale_id, translations)
    return [page for page in programmes if page.live and private.is_public(page)]


# Other apps' regions of programme and project pages: functions of the page returning
# {template variable: value}; a value that costs queries should be lazy
# (`ngo_site.page_cache.lazily`), so that a page whose markup comes from the fragment cache does
# not run them. The resources app
# registers the featured resources of a programme and the related resources of a project
# (resources/wagtail_hooks.py).
PROGRAMME_PAGE_REGIONS_HOOK = "programmes_programme_page_regions"
PROJECT_PAGE_REGIONS_HOOK = "programmes_project_page_regions"


def registered_regions(hook_name, page):
    """{template variable: value} from every function registered with the hook `hook_name`; the
    template skips a region nobody registered."""
    regions = {}
    for region in hooks.get_hooks(hook_name):
        regions.update(region(page))
    return regions


def programme_page_regions(programme):
    """What a programme page shows besides its own fields and the other apps' regions."""
    private = private_sections()
    projects, contributed_projects = programme_projects(programme, private)
    return {
        "projects": projects,
        "contributed_projects": contributed_projects,
        "other_programmes": other_programmes(programme, private),
    }


def project_places(project):
    """The project's places in the editors' order. Each gets `link_target`: the page it links
    to, in the project's language when that page is translated."""
    places = list(project.places.select_related("link_page"))
    link_pages = [place.link_page for place in places if place.link_page is not None]
    targets = iter(localized(link_pages, project.locale_id, Page.objects.live()))
    for place in places:
        place.link_target = next(targets) if place.link_page is not None else None
    return places


@dataclass(frozen=True)
class Contribution:
    """A programme's part in a project, as the project page shows it."""

    programme: Page
    text: str

    @property
    def programme_colour(self):
        return programme_colour_of_path(self.programme.path, self.programme.depth)


def project_contributions(project):
    """The other programmes that contribute to the project, in the editors' order, each in the
    project's language when published in it, else in the default language (a row may point to
    a translation not published yet: wagtail-localize starts one with the project's). Read
    through the page's relation, so that a preview shows the rows being edited; one more query
    only when a programme is not shown as the row names it."""
    private = private_sections()
    rows = list(project.contributions.select_related("programme"))
    shown = {
        row.programme.translation_key: row.programme
        for row in rows
        if row.programme.live
        and row.programme.locale_id == project.locale_id
        and private.is_public(row.programme)
    }
    missing = {row.programme.translation_key for row in rows} - shown.keys()
    if missing:
        found = private.exclude_from(
            Page.objects.live().filter(
                translation_key__in=missing,
                locale_id__in=[project.locale_id, default_locale().pk],
            )
        )
        shown.update(prefer_locale(found, project.locale_id))
    return [
        Contribution(shown[row.programme.translation_key], row.contribution)
        for row in rows
        if row.programme.translation_key in shown
    ]


def project_page_regions(project, request):
    """What a project page shows besides its own fields and the other apps' regions: the places,
    as a list and as a map, and the programmes that contribute to it."""
    return {
        "places_map": maps.places_map(project_places(project), request),
        "contributions": project_contributions(project),
    }
