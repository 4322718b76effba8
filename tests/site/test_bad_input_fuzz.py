"""Generated bad input across every public URL pattern never gets a server error.

Hypothesis builds requests from the site's public URLs (pages of every type, the library with
its facets, search, feed, citations, sitemaps, forms, health) with odd query strings (unknown,
repeated, long, unicode and NUL-byte values, facet values and page numbers of every shape),
odd paths and locale prefixes, and every HTTP method. Each answer must be below 500.

The URLs are split into three groups, one test module each, so that pytest-xdist
(`--dist loadfile`) runs them on different workers: the pages (this module), the library and
search (test_bad_input_fuzz_library.py), the forms, sitemaps and health check
(test_bad_input_fuzz_forms.py). FUZZ_EXAMPLES is the number of requests of the three together
(default 1,500, about 15 s); `make test-sqlite` sends FUZZ_SQLITE_EXAMPLES (10,000, issue #8),
`make test-postgres` FUZZ_POSTGRES_EXAMPLES (1,500). The examples are derandomised, so a
failure reproduces on the next run.
"""

import os
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.partnerships.factories import PartnershipsPageFactory
from tests.programmes.factories import (
    LibraryPageFactory,
    ProgrammeIndexPageFactory,
    ProgrammePageFactory,
    ProjectPageFactory,
    ProjectPlaceFactory,
)
from tests.resources.factories import (
    RegionFactory,
    ResourceTypeFactory,
    ThemeFactory,
    make_resource,
)
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1500"))
GROUPS = 3
# Each group's share, rounded up: the three together send at least EXAMPLES requests.
EXAMPLES_PER_GROUP = -(-EXAMPLES // GROUPS)
PARAMETERS = ["q", "type", "programme", "theme", "region", "language", "year", "page", "p", "sort"]
PARAMETERS += ["email", "token", "next", "format", "utm_source", "page[]", "q\x00", "é"]
ODD_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1e9",
            "99999999999999999999",
            "NaN",
            "null",
            "[]",
            "{}",
            "%00",
            "\x00",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "é" * 300,
            "x" * 5000,
            "2024",
            "1899",
            "2101",
            "newest",
            "relevance",
            "title",
            "-title",
            "fr",
            "en",
            "zz",
        ]
    ),
)
METHODS = st.sampled_from(
    ["GET", "GET", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
)
PREFIXES = st.sampled_from(["", "/en", "/fr", "/de", "/EN", "/fr-ca", "/en/en", "//en", "/%00"])


@pytest.fixture
def site(home_page, footer, english):
    index = ProgrammeIndexPageFactory(parent=home_page)
    programme = ProgrammePageFactory(parent=index, title="Social Protection")
    project = ProjectPageFactory(parent=programme, title="Focal Cities")
    ProjectPlaceFactory(project=project)
    library = LibraryPageFactory(parent=home_page)
    theme, region, kind = ThemeFactory(), RegionFactory(), ResourceTypeFactory()
    resources = [
        make_resource(
            library,
            title=f"Waste pickers and street vendors {number}",
            resource_type=kind,
            themes=[theme],
            regions=[region],
            programmes=[programme],
            languages=["en"],
            authors=["Chen, M."],
        )
        for number in range(3)
    ]
    partnerships = PartnershipsPageFactory(parent=home_page)
    about = StandardPageFactory(parent=home_page, title="About us")
    resource = resources[0]
    return {
        "pages": [
            *(page.url for page in (home_page, index, programme, project, partnerships, about)),
            "/en/no-such-page/",
        ],
        "library": [
            library.url,
            resource.url,
            "/en/search/",
            "/en/library-feed/",
            f"/en/library-cite/{resource.pk}.bib",
            f"/en/library-cite/{resource.pk}.ris",
            "/en/library-cite/999999.bib",
        ],
        "forms and the rest": [
            "/",
            "/sitemap.xml",
            "/sitemap-en.xml",
            "/sitemap-zz.xml",
            "/en/contact/",
            "/en/newsletter/",
            "/en/newsletter/confirm/abc/",
            "/en/newsletter/unsubscribe/abc:def/",
            "/health/",
        ],
        "terms": [str(theme.translation_key), str(region.pk), "1"],
    }


def strip_language(path):
    for language in ("/en/", "/fr/"):
        if path.startswith(language):
            return "/" + path[len(language) :]
    return path


@st.composite
def requests(draw, paths, terms):
    path = draw(st.sampled_from(paths))
    if draw(st.booleans()):
        path = draw(PREFIXES) + strip_language(path)
    if draw(st.integers(0, 9)) == 0:
        path += quote(draw(st.text(max_size=20)), safe="")
    # Real facet values too, so that valid and invalid filters are combined.
    values = st.one_of(ODD_TEXT, st.sampled_from(terms))
    query = draw(st.lists(st.tuples(st.sampled_from(PARAMETERS), values), max_size=8))
    return draw(METHODS), path, urlencode(query)


def send_generated_requests(client, paths, terms, examples=EXAMPLES_PER_GROUP):
    """Sends `examples` generated requests built from `paths`; fails on the first 5xx."""

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(requests(paths, terms))
    def check(request):
        method, path, query = request
        url = f"{path}?{query}" if query else path
        response = client.generic(method, url)
        assert response.status_code < 500, (method, url, response.status_code)

    check()


def test_generated_requests_to_pages_never_get_a_server_error(client, site):
    send_generated_requests(client, site["pages"], site["terms"])
