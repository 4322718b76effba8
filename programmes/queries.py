"""The queries behind programme and project pages, kept out of templates.

Each list is fetched in a fixed number of queries whatever its length (joins for the card image,
one prefetch for all the renditions), so a programme with 30 projects costs what one with 3
costs. tests/programmes/test_query_budgets.py holds the counts.

Programmes import no other domain app (tests/site/test_app_dependencies.py): what other
apps show on a programme or project page (the library's featured and related resources) they
register with Wagtail's hooks `programmes_programme_page_regions` and
`programmes_project_page_regions`, read by `registered_regions`.
"""

from wagtail import hooks
from wagtail.models import Page

from ngo_site.cards import with_card_images
from ngo_site.localisation import localized
from ngo_site.visibility import private_sections

from . import maps
from .models import ProgrammePage, ProjectPage


def programmes_of(index_page, private=None):
    """The published programmes under the programme index, in the editors' tree order."""
    private = private or private_sections()
    programmes = ProgrammePage.objects.child_of(index_page).live()
    return list(with_card_images(private.exclude_from(programmes)))


def projects_of(programme, private):
    """The published projects of a programme (its child pages), in tree order."""
    # The body is not shown on cards and is the heaviest column: leave it in the database.
    projects = ProjectPage.objects.child_of(programme).live().defer("body")
    return list(with_card_images(private.exclude_from(projects)))


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
    return {
        "projects": projects_of(programme, private),
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


def project_page_regions(project, request):
    """What a project page shows besides its own fields and the other apps' regions: the places,
    as a list and as a map."""
    return {"places_map": maps.places_map(project_places(project), request)}
