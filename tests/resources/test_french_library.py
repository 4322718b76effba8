"""The French library as visitors use it: French resources, plus the English originals of the
resources nobody has translated yet, each listed once and marked as English (docs/library.md,
"The French library and untranslated resources")."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.programmes.factories import ProgrammeIndexPageFactory, ProgrammePageFactory
from tests.resources.factories import (
    LibraryPageFactory,
    ResourceTypeFactory,
    ThemeFactory,
    make_resource,
)

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def listed(response):
    """[(title, href, lang of the link, marked as an original)] of the results, in order."""
    return [
        (
            item.h3.a.get_text(strip=True),
            item.h3.a["href"],
            item.h3.a.get("lang"),
            "library-item--original" in item["class"],
        )
        for item in soup_of(response).select(".library-item")
    ]


def facet_counts(response):
    """{facet: {option label: count}} as the page shows them."""
    counts = {}
    for fieldset in soup_of(response).select("fieldset.facet"):
        options = {}
        for label in fieldset.select("label"):
            count = label.select_one(".facet__count")
            options[label.get_text(" ", strip=True).rsplit(" (", 1)[0]] = int(
                count.get_text(strip=True).strip("()")
            )
        counts[fieldset["id"].removeprefix("facet-")] = options
    return counts


def translate(page, locale, **fields):
    """A published translation of `page`, as a translator publishes it."""
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def translate_term(term, locale, name):
    translation = term.copy_for_translation(locale)
    translation.name = name
    translation.save()
    return translation


@pytest.fixture
def libraries(home_page, french):
    english = LibraryPageFactory(parent=home_page)
    translate(home_page, french, slug="accueil")
    return english, translate(english, french, title="Ressources", slug="ressources")


@pytest.fixture
def terms(french):
    care, waste = ThemeFactory(name="Care work"), ThemeFactory(name="Waste pickers")
    brief = ResourceTypeFactory(name="Brief")
    translate_term(care, french, "Travail de soins")
    translate_term(brief, french, "Note")
    # "Waste pickers" has no French yet: its English name is shown.
    return {"care": care, "waste": waste, "brief": brief}


@pytest.fixture
def resources(libraries, terms, french):
    """One resource translated, one not translated at all, one with a French draft only."""
    english_library, _ = libraries
    translated = make_resource(
        english_library,
        title="Childcare in markets",
        summary="How market traders organise childcare.",
        resource_type=terms["brief"],
        themes=[terms["care"]],
        languages=["en"],
    )
    untranslated = make_resource(
        english_library,
        title="Waste pickers and cities",
        summary="Inclusion of waste pickers in municipal waste management.",
        resource_type=terms["brief"],
        themes=[terms["care"], terms["waste"]],
        languages=["en"],
    )
    draft_only = make_resource(
        english_library, title="Heat stress at work", themes=[terms["waste"]], languages=["es"]
    )
    french_translation = translate(
        translated,
        french,
        title="La garde d’enfants sur les marchés",
        summary="Comment les commerçantes organisent la garde des enfants.",
    )
    draft = draft_only.copy_for_translation(french)
    draft.title = "Stress thermique au travail"
    draft.save_revision()  # not published: a translator is still working on it
    return {
        "translated": translated,
        "french": french_translation,
        "untranslated": untranslated,
        "draft_only": draft_only,
    }


def test_french_library_lists_untranslated_resources_once_in_english(client, libraries, resources):
    english_library, french_library = libraries

    rows = listed(client.get(french_library.url, {"sort": "title"}))

    assert rows == [
        ("Heat stress at work", resources["draft_only"].url, "en", True),
        ("La garde d’enfants sur les marchés", resources["french"].url, None, False),
        ("Waste pickers and cities", resources["untranslated"].url, "en", True),
    ]
    assert resources["french"].url.startswith("/fr/ressources/")
    assert resources["untranslated"].url.startswith("/en/resources/")
    # The English library is not affected by the French fallback.
    english_rows = listed(client.get(english_library.url, {"sort": "title"}))
    assert [(title, original) for title, _, _, original in english_rows] == [
        ("Childcare in markets", False),
        ("Heat stress at work", False),
        ("Waste pickers and cities", False),
    ]


def test_an_english_original_is_labelled_and_links_to_its_english_page(
    client, libraries, resources
):
    _, french_library = libraries
    soup = soup_of(client.get(french_library.url, {"q": "cities"}))

    (item,) = soup.select(".library-item")
    link = item.h3.a
    assert (link["lang"], link["hreflang"]) == ("en", "en")
    assert item.select_one(".library-item__summary")["lang"] == "en"
    label = item.select_one(".library-item__language [lang]")
    assert (label["lang"], label.get_text(strip=True)) == ("en", "English")
    assert "Langue d’origine" in item.select_one(".library-item__language").get_text()
    assert "dans leur langue d’origine" in soup.select_one(".library__originals-note").get_text()
    # A French resource carries no such label, and a page without originals no note.
    french_only = soup_of(client.get(french_library.url, {"q": "garde"}))
    assert not french_only.select(".library-item__language, .library__originals-note")
    # The English page the link leads to exists.
    assert client.get(link["href"]).status_code == 200


def test_french_facets_count_each_resource_once_under_french_labels(
    client, libraries, resources, terms
):
    english_library, french_library = libraries

    french = facet_counts(client.get(french_library.url))
    english = facet_counts(client.get(english_library.url))

    assert french["theme"] == {"Travail de soins": 2, "Waste pickers": 2}
    assert english["theme"] == {"Care work": 2, "Waste pickers": 2}
    assert french["type"] == {"Note": 2}
    assert french["language"] == {"Anglais": 2, "Espagnol": 1}
    # Counts agree with the results a filter gives: the French translation and the English
    # original of one resource are never both counted.
    care = str(terms["care"].translation_key)
    filtered = client.get(french_library.url, {"theme": care})
    assert len(listed(filtered)) == 2
    assert soup_of(filtered).select_one(".library__count").get_text(strip=True).startswith("2 ")
    assert facet_counts(filtered)["theme"]["Travail de soins"] == 2


def test_publishing_or_unpublishing_a_translation_switches_what_the_french_library_lists(
    client, libraries, resources, french
):
    _, french_library = libraries

    resources["french"].unpublish()
    titles = [row[0] for row in listed(client.get(french_library.url, {"sort": "title"}))]
    assert titles == ["Childcare in markets", "Heat stress at work", "Waste pickers and cities"]

    draft = resources["draft_only"].get_translation(french)
    draft.get_latest_revision().publish()
    resources["french"].get_latest_revision().publish()
    rows = listed(client.get(french_library.url, {"sort": "title"}))
    assert [(title, original) for title, _, _, original in rows] == [
        ("La garde d’enfants sur les marchés", False),
        ("Stress thermique au travail", False),
        ("Waste pickers and cities", True),
    ]


def library_queries(client, library, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(library.url, params)
    assert response.status_code == 200
    return len(queries)


def test_french_library_queries_do_not_grow_with_originals_or_translations(
    client, libraries, terms, french, home_page
):
    english_library, french_library = libraries
    programme = ProgrammePageFactory(parent=ProgrammeIndexPageFactory(parent=home_page))

    def add(start, count):
        for number in range(start, start + count):
            resource = make_resource(
                english_library,
                title=f"Resource {number}",
                resource_type=terms["brief"],
                themes=[terms["care"], terms["waste"]][: 1 + number % 2],
                programmes=[programme][: number % 2],
                languages=["en", "fr"][: 1 + number % 2],
            )
            if number % 3 == 0:
                translate(resource, french, title=f"Ressource {number}")

    add(0, 3)
    care = str(terms["care"].translation_key)
    params = [{}, {"q": "resource", "theme": care}, {"page": "1", "sort": "title"}]
    client.get(french_library.url)  # warm caches (site root, locales)
    few = [library_queries(client, french_library, p) for p in params]
    add(3, 14)  # 17 resources: more than a page of results (12)
    client.get(french_library.url)  # publishing changed the content version: warm the layout
    many = [library_queries(client, french_library, p) for p in params]

    assert few == many


def test_search_ignores_accents_and_case_in_both_languages(client, libraries, french):
    english_library, french_library = libraries
    resource = make_resource(
        english_library, title="Economic security of women workers", summary="Évaluation."
    )
    translate(
        resource,
        french,
        title="Sécurité économique des travailleuses",
        summary="Une évaluation.",
    )

    def titles(library, query):
        return [row[0] for row in listed(client.get(library.url, {"q": query}))]

    assert titles(french_library, "securite economique") == [
        "Sécurité économique des travailleuses"
    ]
    assert titles(french_library, "ÉCONOMIQUE") == ["Sécurité économique des travailleuses"]
    assert titles(french_library, "sécu") == ["Sécurité économique des travailleuses"]
    assert titles(english_library, "evaluation") == ["Economic security of women workers"]
    assert titles(english_library, "économic") == ["Economic security of women workers"]


def test_each_resource_is_stemmed_in_its_own_language(client, libraries, french):
    """PostgreSQL with its text-search configurations, SQLite with Snowball stems stored in the
    indexed text (resources.index._with_stems): the same answers on both."""
    english_library, french_library = libraries
    translated = make_resource(
        english_library, title="Women workers organising", summary="Trade union policies."
    )
    translate(
        translated,
        french,
        title="Les travailleuses s’organisent",
        summary="Les organisations syndicales.",
    )
    make_resource(
        english_library,
        title="Waste pickers organised in cooperatives",
        summary="City policies on waste.",
    )

    def titles(library, query):
        return sorted(row[0] for row in listed(client.get(library.url, {"q": query})))

    # French stemming: a singular finds the plural, a noun finds the verb's forms; the English
    # original in the French library is matched with English stemming ("organised").
    assert titles(french_library, "travailleuse") == ["Les travailleuses s’organisent"]
    assert titles(french_library, "organisation") == [
        "Les travailleuses s’organisent",
        "Waste pickers organised in cooperatives",
    ]
    # English stemming, also for the English originals listed in the French library.
    assert titles(english_library, "worker") == ["Women workers organising"]
    assert titles(english_library, "policy") == [
        "Waste pickers organised in cooperatives",
        "Women workers organising",
    ]
    assert titles(french_library, "policy") == ["Waste pickers organised in cooperatives"]


@pytest.mark.parametrize(
    "query",
    [
        "travailleurs domestiques",
        "travailleuses domestiques",
        "travailleur domestique",
        "vendeurs de rue",
        "vendeuses de rue",
        "salariées",
    ],
)
def test_inclusive_writing_is_found_by_the_masculine_and_the_feminine(
    client, libraries, french, query
):
    """Issue 26: French texts write "travailleur·euse·s"; visitors type either form."""
    english_library, french_library = libraries
    resource = make_resource(english_library, title="Domestic workers and street vendors")
    translate(
        resource,
        french,
        title="Protection sociale",
        summary="Les travailleur·euse·s domestiques, les vendeur.euse.s de rue et les salarié·e·s.",
    )

    found = [row[0] for row in listed(client.get(french_library.url, {"q": query}))]

    assert found == ["Protection sociale"], query


def test_a_french_search_without_a_result_offers_the_searches_one_step_away(
    client, libraries, resources, terms
):
    _, french_library = libraries

    response = client.get(
        french_library.url, {"q": "garde zzyzx", "theme": str(terms["care"].translation_key)}
    )

    assert listed(response) == []
    ways_out = [
        item.get_text(" ", strip=True)
        for item in soup_of(response).select(".library__no-result li")
    ]
    assert ways_out == [
        "Chercher sans le texte « garde zzyzx » (2 ressources)",
        "Chercher sans le mot « zzyzx » (1 ressource)",
        "Parcourir toute la bibliothèque",
    ]
