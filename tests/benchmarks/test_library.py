"""The library benchmark (benchmarks/library.py and library_workload.py, `python -m benchmarks
library`) at a tiny size, so that `make bench` cannot rot unnoticed: the resources it writes in
bulk are valid pages that the library finds by text and by facet, and the queries per request it
measures do not depend on the number of resources."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils.html import escape
from wagtail.models import Page

from benchmarks import library_workload as benchmark
from benchmarks.library import Command as BenchLibrary
from resources.models import FACETS
from tests.programmes.factories import ProgrammeIndexPageFactory, ProgrammePageFactory
from tests.resources.factories import (
    LibraryPageFactory,
    RegionFactory,
    ResourceTypeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(home_page):
    return LibraryPageFactory(parent=home_page)


@pytest.fixture
def vocabulary(home_page):
    index = ProgrammeIndexPageFactory(parent=home_page)
    return {
        "types": [ResourceTypeFactory(name=name) for name in ("Brief", "Video", "Dataset")],
        "themes": [
            ThemeFactory(name=name)
            for name in ("Waste pickers", "Street vendors", "Care work", "Migration")
        ],
        "regions": [RegionFactory(name=name) for name in ("Ghana", "Peru", "India")],
        "programmes": [
            ProgrammePageFactory(parent=index, title=title) for title in ("Law", "Statistics")
        ],
    }


def search(client, library, params):
    response = client.get(library.url, params)
    assert response.status_code == 200
    return response.context["library"]


def test_generated_resources_are_pages_the_library_finds(client, library, vocabulary):
    generation = benchmark.generate_resources(30, seed=3, library=library, keep_specs=True)
    specs = generation.specs

    assert len(generation.ids) == len(specs) == 30
    # Valid tree rows: paths, depths and the library's numchild as treebeard would write them.
    assert all(not problems for problems in Page.find_problems())
    assert library.get_children().live().type(benchmark.ResourcePage).count() == 30
    resource = benchmark.ResourcePage.objects.get(pk=generation.ids[-1])
    page = client.get(resource.url)
    assert page.status_code == 200
    assert escape(resource.title) in page.content.decode()

    # Every facet's counts on the first page are those of what was generated.
    everything = search(client, library, {})
    assert everything.total == 30
    expected = Counter(pair for spec in specs for pair in spec.facet_values())
    shown = Counter(
        {
            (facet.name, option.value): option.count
            for facet in everything.facets
            for option in facet.options
        }
    )
    assert shown == expected
    assert {facet.name for facet in everything.facets} == set(FACETS)
    assert expected[("language", "fr")] + expected[("language", "en")] == 30

    # Text: a city is in no term's name, so its resources are exactly those that mention it.
    cities = Counter(city for spec in specs for city in spec.cities)
    city = next(name for name, count in cities.most_common() if count < 30)
    assert search(client, library, {"q": city}).total == cities[city]
    theme = specs[0].themes[0]
    both = sum(city in spec.cities and theme in spec.themes for spec in specs)
    params = {"q": city, "theme": str(theme.translation_key)}
    assert search(client, library, params).total == both


def test_queries_per_request_do_not_depend_on_the_number_of_resources(client, library, vocabulary):
    def queries():
        """{scenario: (fewest, most) queries} of the requests whose page found something."""
        requests = benchmark.build_requests(library, count=10, seed=1)
        assert {request.scenario for request in requests} == set(benchmark.SCENARIOS)
        measured = benchmark.run_requests(library, requests, client)
        # The benchmark reads each page's count of results (pages without any make fewer
        # queries: they load no resources).
        assert all(measurement.results is not None for measurement in measured)
        assert any(measurement.results for measurement in measured)
        return benchmark.queries_by_scenario(measured)

    benchmark.generate_resources(30, seed=1, library=library)
    with_30 = queries()
    benchmark.generate_resources(30, seed=2, library=library)
    with_60 = queries()

    # The text scenarios mix texts searched for the first time and again (the cached match:
    # one query fewer), in other shares when other pages find nothing; TEXT_ROWS split them.
    mixed = {"text", "text + 2 facets"}
    assert {row: n for row, n in with_30.items() if row not in mixed} == {
        row: n for row, n in with_60.items() if row not in mixed
    }
    assert [with_30[row][1] for row in mixed] == [with_60[row][1] for row in mixed]
    assert set(with_60) - set(benchmark.TEXT_ROWS) == {*benchmark.SCENARIOS, "all"}
    assert "text: again" in with_60  # the warm-up searched the texts of the first requests


def test_the_command_prints_the_figures_and_fails_when_a_goal_is_missed(
    library, vocabulary, monkeypatch
):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(CommandError, match="DATABASE_URL is not set"):
        call_command(BenchLibrary(), resources=5, stdout=io.StringIO())

    # Queries are compared with the same mix before the resources are added: at least one page
    # of results then, as the demo's library has.
    benchmark.generate_resources(12, seed=4, library=library)
    monkeypatch.setenv("DATABASE_URL", "the test database")
    output = io.StringIO()
    with pytest.raises(CommandError, match=r"goal missed: p95 .* > 0.001 ms"):
        call_command(BenchLibrary(), resources=12, requests=5, goal_p95=0.001, stdout=output)
    printed = output.getvalue()
    assert "12 resources generated, 24 in the library, 5 requests" in printed
    for scenario in (*benchmark.SCENARIOS, "all"):
        assert f"\n{scenario} " in printed
    assert "Goal p95 <= 0.001 ms for all requests: MISSED" in printed
    assert "Goal queries per request constant in N (12 → 24 resources): met" in printed
    assert "Peak memory: process" in printed
