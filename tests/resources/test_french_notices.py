"""French wording of the library's notices (issue 26): unknown filter values are counted in a
sentence in the singular or the plural (ngettext), without "valeur(s) inconnue(s)"."""

import pytest
from bs4 import BeautifulSoup

from tests.resources.factories import LibraryPageFactory, make_resource

pytestmark = pytest.mark.django_db


def translate(page, locale, **fields):
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


@pytest.fixture
def french_library(home_page, french):
    translate(home_page, french, slug="accueil")
    library = LibraryPageFactory(parent=home_page)
    translate(library, french, title="Bibliothèque", slug="bibliotheque")
    make_resource(library, title="Care in markets")
    return "/fr/bibliotheque/"


@pytest.mark.parametrize(
    ("values", "count"),
    [(["not-a-term"], 1), (["not-a-term", "00000000-0000-0000-0000-000000000000", "x"], 3)],
)
def test_unknown_filter_values_are_counted_in_proper_french(client, french_library, values, count):
    response = client.get(french_library, {"theme": values})
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    if count == 1:
        assert "1 valeur inconnue du filtre « Thème » a été ignorée." in text
    else:
        assert f"{count} valeurs inconnues du filtre « Thème » ont été ignorées." in text
    assert "(s)" not in text
