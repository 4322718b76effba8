"""Programme and project pages in another language: the places are translated with their project,
chosen resources follow the visitor's language, and the map's numbers stay machine-readable."""

import pytest
from bs4 import BeautifulSoup

from tests.programmes.factories import (
    LibraryPageFactory,
    ProgrammeFeaturedResourceFactory,
    ProgrammeIndexPageFactory,
    ProgrammePageFactory,
    ProjectPageFactory,
    ProjectPlaceFactory,
    ResourcePageFactory,
    publish_translation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(home_page):
    index = ProgrammeIndexPageFactory(parent=home_page)
    return ProgrammePageFactory(parent=index, title="Social Protection")


def test_french_project_has_its_own_places_and_a_valid_map(client, programme, french):
    project = ProjectPageFactory(parent=programme, title="Focal Cities")
    ProjectPlaceFactory(
        project=project, city="Mexico City", country="Mexico", latitude=19.43, longitude=-99.13
    )
    ProjectPlaceFactory(
        project=project, city="Delhi", country="India", latitude=28.61, longitude=77.2
    )

    french_project = publish_translation(project, french, title="Villes focales")
    french_places = list(french_project.places.all())
    assert [place.locale_id for place in french_places] == [french.pk, french.pk]
    # Same place, two rows: each language's row can be translated ("Mexico" in French).
    assert {place.translation_key for place in french_places} == {
        place.translation_key for place in project.places.all()
    }

    response = client.get(french_project.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "fr"
    for circle in soup.select(".places-map__point circle"):
        # French formats 12.5 as "12,5"; SVG needs the dot.
        float(circle["cx"])
        float(circle["cy"])
    assert float(soup.select_one(".places-map image")["width"]) > 0


def test_featured_resources_follow_the_language_of_the_page(client, programme, home_page, french):
    library = LibraryPageFactory(parent=home_page)
    resource = ResourcePageFactory(parent=library, title="A review of the evidence")
    untranslated = ResourcePageFactory(parent=library, title="Only in English")
    ProgrammeFeaturedResourceFactory(programme=programme, resource=resource)
    ProgrammeFeaturedResourceFactory(programme=programme, resource=untranslated)

    french_resource = publish_translation(resource, french, title="Une revue des données")
    french_programme = publish_translation(programme, french, title="Protection sociale")

    soup = BeautifulSoup(client.get(french_programme.url).content, "html.parser")
    featured = soup.select("#featured-resources-heading + ul h3 a")
    assert [link.get_text(strip=True) for link in featured] == [
        "Une revue des données",
        "Only in English",  # listed as it is rather than hidden
    ]
    assert featured[0]["href"] == french_resource.url


def test_wagtail_localize_translations_carry_and_sync_the_library_rows(home_page, french):
    """The featured resources of a programme and the related resources of a project are the
    library's rows (issue 24) and not translatable: wagtail-localize copies them to the
    translation and copies them again when the translation is synced with its source."""
    from wagtail_localize.fields import SynchronizedField, get_translatable_fields
    from wagtail_localize.models import TranslationSource

    from programmes.models import ProgrammePage, ProjectPage

    synchronised = {
        model: {
            field.field_name
            for field in get_translatable_fields(model)
            if isinstance(field, SynchronizedField)
        }
        for model in (ProgrammePage, ProjectPage)
    }
    assert "featured_resources" in synchronised[ProgrammePage]
    assert "related_resources" in synchronised[ProjectPage]

    library = LibraryPageFactory(parent=home_page)
    first, second = (ResourcePageFactory(parent=library) for _ in range(2))
    programme = ProgrammePageFactory(parent=ProgrammeIndexPageFactory(parent=home_page))
    ProgrammeFeaturedResourceFactory(programme=programme, resource=first)
    source, _ = TranslationSource.get_or_create_from_instance(programme)
    french_programme, _ = source.create_or_update_translation(
        french, copy_parent_pages=True, fallback=True
    )
    assert [row.resource_id for row in french_programme.featured_resources.all()] == [first.pk]

    programme = ProgrammePage.objects.get(pk=programme.pk)
    ProgrammeFeaturedResourceFactory(programme=programme, resource=second)
    programme.save_revision().publish()
    source.update_from_db()
    french_programme, _ = source.create_or_update_translation(french, fallback=True)
    french_programme = ProgrammePage.objects.get(pk=french_programme.pk)
    assert [row.resource_id for row in french_programme.featured_resources.all()] == [
        first.pk,
        second.pk,
    ]
