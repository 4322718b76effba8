"""The snippet listings (library terms, funders, funding policies, FAQs, footers) and the
resources listing, through the real admin views: searching and filtering narrow them."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resources.models import ResourceType
from tests.partnerships.factories import (
    FAQGroupFactory,
    FAQQuestionFactory,
    FunderFactory,
    FundingPolicyFactory,
)
from tests.programmes.factories import ProgrammeIndexPageFactory, ProgrammePageFactory
from tests.resources.factories import (
    LibraryPageFactory,
    RegionFactory,
    ResourceTypeFactory,
    ThemeFactory,
    make_resource,
)
from tests.site.factories import FooterContentFactory

pytestmark = pytest.mark.django_db


def listing(client, model, **params):
    """{title: [the other cells]} of a snippet listing."""
    url = reverse(f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:list")
    response = client.get(url, params)
    assert response.status_code == 200
    rows = {}
    for row in BeautifulSoup(response.content, "html.parser").select("table.listing tbody tr"):
        title = row.select_one("td.title a").get_text(strip=True)
        rows[title] = [cell.get_text(" ", strip=True) for cell in row.select("td:not(.title)")]
    return rows


def column_queries(captured):
    tables = ("resources_resourceprogrammelink", "resources_resourcelanguage")
    return sum(
        1
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT")
        and any(f'FROM "{table}"' in query["sql"] for table in tables)
    )


@pytest.fixture
def admin(administrator, client):
    client.force_login(administrator)
    return client


def test_funders_are_searched_and_filtered_by_type_and_language(admin, english, french):
    FunderFactory(name="Ford Foundation")
    FunderFactory(name="Swedish International Development Agency", funder_type="government")
    FunderFactory(name="Fondation de France", locale=french)
    model = FunderFactory._meta.model

    assert set(listing(admin, model)) == {
        "Ford Foundation",
        "Swedish International Development Agency",
        "Fondation de France",
    }
    assert set(listing(admin, model, q="ford")) == {"Ford Foundation"}
    assert set(listing(admin, model, funder_type="government")) == {
        "Swedish International Development Agency"
    }
    assert set(listing(admin, model, locale="fr")) == {"Fondation de France"}
    assert "Fondation de France" not in listing(admin, model, locale="en")


def test_library_terms_are_searched_and_filtered(admin, english, french):
    ThemeFactory(name="Street vending")
    ThemeFactory(name="Waste picking")
    ThemeFactory(name="Vente de rue", locale=french)
    RegionFactory(name="Africa", kind="region")
    RegionFactory(name="Ghana", kind="country")
    ResourceTypeFactory(name="Dataset", citation_type="DATA")
    ResourceTypeFactory(name="Brief", citation_type="RPRT")
    theme, region = ThemeFactory._meta.model, RegionFactory._meta.model

    assert set(listing(admin, theme, q="street")) == {"Street vending"}
    assert set(listing(admin, theme, locale="fr")) == {"Vente de rue"}
    assert set(listing(admin, region, kind="region")) == {"Africa"}
    assert set(listing(admin, region, q="gha")) == {"Ghana"}
    assert set(listing(admin, ResourceType, citation_type="DATA")) == {"Dataset"}
    assert set(listing(admin, ResourceType, q="brief")) == {"Brief"}


def test_faqs_are_searched_by_title_and_question_with_the_right_counts(admin, english, french):
    internships = FAQGroupFactory(title="Working with us", questions=0)
    for question in ("Do you offer internships?", "Are internships paid?", "Who can apply?"):
        FAQQuestionFactory(group=internships, question=question)
    FAQGroupFactory(title="Using our publications", questions=2)
    model = FAQGroupFactory._meta.model

    assert set(listing(admin, model)) == {"Working with us", "Using our publications"}
    assert set(listing(admin, model, q="publications")) == {"Using our publications"}
    # Two questions match, the group is listed once and still counts its three questions.
    found = listing(admin, model, q="internships")
    assert list(found) == ["Working with us"]
    assert found["Working with us"][1] == "3"


def test_funding_policies_and_footers_are_searched_and_filtered(admin, english, french):
    FundingPolicyFactory(title="No money from companies")
    FundingPolicyFactory(title="Independence", body="<p>We stay independent of governments.</p>")
    FooterContentFactory(name="Main footer", locale=english)
    FooterContentFactory(name="Pied de page", locale=french)
    policy, footer = FundingPolicyFactory._meta.model, FooterContentFactory._meta.model

    assert set(listing(admin, policy, q="companies")) == {"No money from companies"}
    assert set(listing(admin, policy, q="governments")) == {"Independence"}
    assert set(listing(admin, footer, locale="en")) == {"Main footer"}
    assert set(listing(admin, footer, q="pied", locale="fr")) == {"Pied de page"}
    assert set(listing(admin, footer, q="main", locale="fr")) == set()


def test_the_resources_listing_shows_type_programmes_languages_and_date(admin, home_page):
    library = LibraryPageFactory(parent=home_page)
    programmes = ProgrammeIndexPageFactory(parent=home_page)
    law = ProgrammePageFactory(parent=programmes, title="Law")
    cities = ProgrammePageFactory(parent=programmes, title="Cities")
    make_resource(
        library,
        title="Street vendors and the law",
        resource_type=ResourceTypeFactory(name="Brief"),
        programmes=[law, cities],
        languages=["en", "fr"],
        publication_date=datetime.date(2021, 5, 1),
    )
    make_resource(library, title="Untyped note", publication_date=datetime.date(2018, 1, 1))

    response = admin.get(reverse("resources:index"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    header = soup.select_one("table.listing thead tr")
    headings = [cell.get_text(strip=True) for cell in header.find_all(["th", "td"])]
    columns = {name: headings.index(name) for name in ("Type", "Programmes", "Languages")}
    rows = {
        row.select_one("td.title a").get_text(strip=True): [
            cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"], recursive=False)
        ]
        for row in soup.select("table.listing tbody tr")
        if row.select_one("td.title a")
    }
    cells = rows["Street vendors and the law"]
    assert cells[columns["Type"]] == "Brief"
    assert set(cells[columns["Programmes"]].split(", ")) == {"Law", "Cities"}
    assert cells[columns["Languages"]] == "English, French"
    assert rows["Untyped note"][columns["Programmes"]] == ""

    # The programme and language columns are prefetched: one query each, whatever the rows.
    # (wagtail-localize's "Translate" button makes queries of its own for each row.)
    with CaptureQueriesContext(connection) as two_rows:
        admin.get(reverse("resources:index"))
    for number in range(3):
        make_resource(library, title=f"Brief {number}", programmes=[law], languages=["es"])
    with CaptureQueriesContext(connection) as five_rows:
        admin.get(reverse("resources:index"))
    assert column_queries(five_rows) == column_queries(two_rows) == 2

    narrowed = admin.get(reverse("resources:index"), {"programme": cities.pk, "language": "fr"})
    assert "Street vendors and the law" in narrowed.content.decode()
    assert "Untyped note" not in narrowed.content.decode()
