"""Generated bad input across every public URL pattern never gets a server error.

Hypothesis builds requests from the site's public URLs (pages of every type in English and in
French, a private page, the library with its facets, search, feed, citations, sitemaps, forms
and their thank-you pages, documents and their password form, Wagtail's page password and
login forms, the language switch, health) with odd query strings (unknown, repeated, long,
unicode and NUL-byte values, facet values and page numbers of every shape, odd digits), odd
paths and locale prefixes, every HTTP method, generated POST bodies, garbage cookies and Host
headers. Each answer must be below 500.

The URLs are split into three groups, one test module each, so that pytest-xdist can run them
on different workers: the pages (this module), the library and
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
            # Digits that are not ASCII: str.isdigit() and int() accept some of them.
            "²",
            "١٢",
            "１２",
        ]
    ),
)
# Field names of the site's forms (contact, newsletter, page and document passwords, login,
# language switch), for generated POST bodies.
FORM_FIELDS = [
    "name",
    "email",
    "organisation",
    "topic",
    "message",
    "company_website",
    "started",
    "language",
    "password",
    "return_url",
    "username",
    "next",
    "csrfmiddlewaretoken",
]
POST_BODIES = st.dictionaries(
    st.one_of(st.sampled_from(FORM_FIELDS), st.text(max_size=10)), ODD_TEXT, max_size=6
)
COOKIE_NAMES = ["sessionid", "csrftoken", "messages", "django_language", "x", ""]
COOKIE_VALUES = st.one_of(
    ODD_TEXT, st.sampled_from(["a" * 4096, "bad:signature", '"unterminated', "=;=;"])
)
HOSTS = st.sampled_from(
    [
        None,  # the client's own (testserver)
        None,
        None,
        "localhost",
        "evil.example",
        "localhost:99999",
        "[::1",
        "",
        "localhost\x00",
        "x" * 300,
        "localhost, evil.example",
        "ÉXAMPLE.org",
    ]
)
METHODS = st.sampled_from(
    ["GET", "GET", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
)
PREFIXES = st.sampled_from(["", "/en", "/fr", "/de", "/EN", "/fr-ca", "/en/en", "//en", "/%00"])


def french_copy(page, french):
    """`page` translated the way wagtail-localize starts (copy_for_translation), published."""
    copy = page.copy_for_translation(french)
    copy.save_revision().publish()
    return copy.specific


def reversed_in(language, name, *args):
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def site(home_page, footer, english, french):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

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
    private = StandardPageFactory(parent=home_page, title="Board minutes", slug="board")
    page_restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    resource = resources[0]
    # The French tree, as translators start it.
    french_home = french_copy(home_page, french)
    french_pages = [french_copy(page, french) for page in (index, partnerships, about, library)]
    french_programme = french_copy(programme, french)
    french_resource = french_copy(resource, french)
    # A public document, and one in a collection under a password.
    documents = get_document_model()
    public_document = documents.objects.create(
        title="Annual report", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="annual.pdf")
    )
    private_collection = Collection.get_first_root_node().add_child(name="Board papers")
    document_restriction = CollectionViewRestriction.objects.create(
        collection=private_collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="s3cret",
    )
    private_document = documents.objects.create(
        title="Minutes",
        collection=private_collection,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="minutes.pdf"),
    )
    return {
        "pages": [
            *(page.url for page in (home_page, index, programme, project, partnerships, about)),
            private.url,
            "/en/no-such-page/",
            *(page.url for page in (french_home, french_programme, *french_pages[:3])),
            "/fr/page-inconnue/",
        ],
        "library": [
            library.url,
            resource.url,
            "/en/search/",
            "/en/library-feed/",
            f"/en/library-cite/{resource.pk}.bib",
            f"/en/library-cite/{resource.pk}.ris",
            "/en/library-cite/999999.bib",
            french_pages[3].url,
            french_resource.url,
            reversed_in("fr", "search"),
            reversed_in("fr", "resources_feed"),
        ],
        "forms and the rest": [
            "/",
            "/sitemap.xml",
            "/sitemap-en.xml",
            "/sitemap-fr.xml",
            "/sitemap-zz.xml",
            *(
                reversed_in(language, name)
                for language in ("en", "fr")
                for name in (
                    "contact",
                    "contact_thanks",
                    "newsletter_signup",
                    "newsletter_check_inbox",
                )
            ),
            reversed_in("en", "newsletter_confirm", "abc"),
            reversed_in("fr", "newsletter_confirm", "abc"),
            reversed_in("en", "newsletter_unsubscribe", "abc:def"),
            reversed_in("fr", "newsletter_unsubscribe", "abc:def"),
            reversed_in("en", "set_language"),
            public_document.url,
            private_document.url,
            reversed_in("en", "wagtaildocs_serve", 999999, "nothing.pdf"),
            reversed_in("en", "wagtaildocs_authenticate_with_password", document_restriction.pk),
            reversed_in("en", "wagtaildocs_authenticate_with_password", 999999),
            reversed_in(
                "en", "wagtailcore_authenticate_with_password", page_restriction.pk, private.pk
            ),
            reversed_in("en", "wagtailcore_authenticate_with_password", 999999, private.pk),
            reversed_in("en", "wagtailcore_login"),
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
    method = draw(METHODS)
    body = urlencode(draw(POST_BODIES)) if method == "POST" else ""
    headers = {}
    host = draw(HOSTS)
    if host is not None:
        headers["host"] = host
    if draw(st.integers(0, 3)) == 0:
        cookies = draw(
            st.lists(st.tuples(st.sampled_from(COOKIE_NAMES), COOKIE_VALUES), max_size=3)
        )
        # A raw Cookie header, as a browser or a robot may send anything.
        headers["cookie"] = "; ".join(f"{name}={value}" for name, value in cookies)
    # As a WSGI server passes them: the header's bytes (UTF-8 here) read as latin-1 (PEP 3333).
    headers = {name: value.encode().decode("latin-1") for name, value in headers.items()}
    return method, path, urlencode(query), body, headers


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
        method, path, query, body, headers = request
        url = f"{path}?{query}" if query else path
        response = client.generic(
            method,
            url,
            data=body,
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
        assert response.status_code < 500, (method, url, body, headers, response.status_code)

    check()


def test_generated_requests_to_pages_never_get_a_server_error(client, site):
    send_generated_requests(client, site["pages"], site["terms"])
