"""The language switcher keeps the visitor's place (issue 26), followed as a visitor follows it:
from a resource not translated yet it leads to a page in the other language that says so and
offers the original and that language's library (the closest page that is translated), not to
the home page; from site search it keeps the query;
from a filtered library it keeps the search and the filters (facet values are translation keys,
the same in every language); from the contact form, the contact form."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page

from tests.resources.factories import LibraryPageFactory, ThemeFactory, make_resource

pytestmark = pytest.mark.django_db


def translate(page, locale, **fields):
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


@pytest.fixture
def site(home_page, french):
    translate(home_page, french, slug="accueil")
    library = LibraryPageFactory(parent=home_page)
    bibliotheque = translate(library, french, title="Bibliothèque", slug="bibliotheque")
    care = ThemeFactory(name="Care")
    soins = care.copy_for_translation(french)
    soins.name = "Soins"
    soins.save()
    translated = make_resource(library, title="Care in markets", themes=[care])
    translate(translated, french, title="Les soins dans les marchés", slug="soins-marches")
    untranslated = make_resource(library, title="Childcare for market traders", themes=[care])
    return {
        "library": library,
        "bibliotheque": bibliotheque,
        "care": care,
        "untranslated": untranslated,
    }


def switcher(client, url, language):
    """The switcher's link to `language` on the page at `url`: (href, title attribute)."""
    response = client.get(url)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.select_one(f".language-switcher a[hreflang={language}]")
    return link["href"], link.get("title")


def test_from_an_untranslated_resource_to_a_page_that_says_so(client, site):
    untranslated = site["untranslated"]
    href, title = switcher(client, untranslated.url, "fr")
    assert href == f"/fr/not-translated/?page={untranslated.pk}"
    assert "not translated" in title

    # In French, it says the page is not translated and offers the English original and the
    # closest French section: the library.
    response = client.get(href)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("html")["lang"] == "fr"
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert "pas encore disponible" in page.h1.get_text()
    original = page.select_one("a[data-original]")
    assert original["href"] == untranslated.url
    assert (original["lang"], original["hreflang"]) == ("en", "en")
    assert original.get_text() == "Childcare for market traders"
    assert page.select_one("a[data-closest]")["href"] == "/fr/bibliotheque/"

    # The French library lists the English original; from there, back to the French library.
    french_library = BeautifulSoup(client.get("/fr/bibliotheque/").content, "html.parser")
    listed = french_library.find("a", string=lambda text: text and "Childcare" in text)
    assert listed["href"] == untranslated.url


def test_once_translated_the_page_leads_to_the_translation(client, site):
    href, _title = switcher(client, site["untranslated"].url, "fr")
    translate(site["untranslated"], site["bibliotheque"].locale, slug="garde-enfants")
    response = client.get(href)
    assert response.status_code == 302
    assert response["Location"] == "/fr/bibliotheque/garde-enfants/"


def test_junk_ids_are_not_found(client, site):
    for junk in ["", "abc", "1.5", "-1", "99999999", "9" * 40, "%00"]:
        response = client.get(f"/fr/not-translated/?page={junk}")
        assert response.status_code == 404, junk
    assert client.get("/fr/not-translated/").status_code == 404
    # The tree's root, and a page of no site this host reaches (found by the long fuzz: 500).
    root = Page.get_first_root_node()
    assert client.get(f"/fr/not-translated/?page={root.pk}").status_code == 404
    assert client.get(f"/en/not-translated/?page={root.pk}").status_code == 404


def test_a_draft_or_restricted_page_is_not_found(client, site):
    from wagtail.models import PageViewRestriction

    untranslated = site["untranslated"]
    href = f"/fr/not-translated/?page={untranslated.pk}"
    PageViewRestriction.objects.create(
        page=untranslated, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(href).status_code == 404
    PageViewRestriction.objects.all().delete()
    untranslated.unpublish()
    assert client.get(href).status_code == 404


def test_a_translated_resource_switches_to_its_translation(client, site):
    href, title = switcher(client, "/en/resources/care-in-markets/", "fr")
    assert href == "/fr/bibliotheque/soins-marches/"
    assert title is None


def test_from_site_search_the_query_is_kept(client, site):
    href, _title = switcher(client, "/en/search/?q=childcare", "fr")
    assert href == "/fr/search/?q=childcare"
    page = BeautifulSoup(client.get(href).content, "html.parser")
    assert page.select_one("input[name=q]")["value"] == "childcare"

    back, _title = switcher(client, href, "en")
    assert back == "/en/search/?q=childcare"


def test_from_a_filtered_library_the_search_and_filters_are_kept(client, site):
    key = str(site["care"].translation_key)
    href, title = switcher(client, f"/en/resources/?q=care&theme={key}&page=1", "fr")
    assert title is None
    assert href.startswith("/fr/bibliotheque/?")
    assert sorted(href.split("?")[1].split("&")) == sorted(["q=care", f"theme={key}"])

    french = BeautifulSoup(client.get(href).content, "html.parser")
    checked = french.select_one(f"input[name=theme][value='{key}']")
    assert checked is not None and checked.has_attr("checked")
    assert french.select_one("input[name=q]")["value"] == "care"


def test_from_the_contact_form_to_the_contact_form(client, site):
    href, title = switcher(client, "/en/contact/", "fr")
    assert href.startswith("/fr/") and href != "/fr/"
    assert title is None
    assert BeautifulSoup(client.get(href).content, "html.parser").select_one("form.site-form")
