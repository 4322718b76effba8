"""Every absolute address a visitor, a crawler or a reference manager is given leads to the site
as it is served (issue 26): served on 127.0.0.1:8000 with a Site record of localhost:80 (the
demo before this fix), the canonical link, og:url, og:image, the hreflang alternates, the
sitemaps, robots.txt, the Atom feed and every citation start with http://127.0.0.1:8000/.

Each output is read by a real parser: lxml for HTML and the sitemaps' XML, feedparser for the
feed, bibtexparser and rispy for the citations."""

import datetime
import re

import bibtexparser
import feedparser
import pytest
import rispy
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from lxml import etree, html
from wagtail.models import Site

from ngo_site.demo import site_content
from ngo_site.demo.loader import DemoLoader
from ngo_site.models import CustomDocument
from resources.demo.library_content import pdf_bytes
from tests.partnerships.helpers import newsletter_data
from tests.resources.factories import (
    ImageFactory,
    LibraryPageFactory,
    ResourceTypeFactory,
    make_resource,
)
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

ORIGIN = "http://127.0.0.1:8000"
SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
URL = re.compile(r"https?://[^\s\"'<>]+")


def translate(page, locale, **fields):
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


@pytest.fixture
def served(home_page, french):
    """A small site whose Site record says localhost:80, with a translated page, a library and a
    resource with a cover image and a PDF, and a client that reaches it on 127.0.0.1:8000."""
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)
    translate(home_page, french, slug="accueil")
    about = StandardPageFactory(parent=home_page, title="About us", slug="about")
    translate(about, french, title="À propos", slug="a-propos")
    library = LibraryPageFactory(parent=home_page)
    document = CustomDocument(title="The paper")
    document.file.save("care_paper.pdf", ContentFile(pdf_bytes(["Care work"])), save=False)
    document.save()
    resource = make_resource(
        library,
        title="Care work in cities",
        slug="care-work-in-cities",
        publication_date=datetime.date(2024, 3, 1),
        resource_type=ResourceTypeFactory(name="Report", citation_type="RPRT"),
        authors=["Moussié, Rachel"],
        languages=["en"],
        documents=[document],
        image=ImageFactory(title="Cover"),
    )
    return {
        "client": Client(HTTP_HOST="127.0.0.1:8000"),
        "about": about,
        "library": library,
        "resource": resource,
    }


def head_urls(client, path):
    """The absolute URLs of a page's head (link hrefs and meta contents), by name."""
    response = client.get(path)
    assert response.status_code == 200, path
    head = html.fromstring(response.content).head
    found = {}
    for link in head.iter("link"):
        key = link.get("rel") + (f":{link.get('hreflang')}" if link.get("hreflang") else "")
        found[key] = link.get("href")
    for meta in head.iter("meta"):
        content = meta.get("content") or ""
        if URL.match(content):
            found[meta.get("property") or meta.get("name")] = content
    return found


def assert_on_origin(urls, origin=ORIGIN):
    urls = list(urls)
    assert urls
    for url in urls:
        assert url.startswith(f"{origin}/"), url


def test_page_heads_name_the_address_the_site_is_served_on(served):
    client = served["client"]
    for path in ("/en/", "/en/about/", "/fr/a-propos/", served["resource"].url):
        urls = head_urls(client, path)
        assert urls["canonical"] == f"{ORIGIN}{path}"
        assert urls["og:url"] == f"{ORIGIN}{path}"
        assert "og:image" in urls
        absolute = [url for url in urls.values() if URL.match(url)]
        assert_on_origin(absolute)
    resource_head = html.fromstring(client.get(served["resource"].url).content).head
    assert resource_head.xpath("meta[@property='og:type']/@content") == ["article"]
    about_head = html.fromstring(client.get("/en/about/").content).head
    assert about_head.xpath("meta[@property='og:type']/@content") == ["website"]
    # og:image: the resource's cover (a rendition), the site's default elsewhere.
    cover = head_urls(client, served["resource"].url)["og:image"]
    assert "social-default" not in cover
    assert "ngo_site/img/social-default" in head_urls(client, "/en/about/")["og:image"]
    about = head_urls(client, "/en/about/")
    assert about["alternate:en"] == f"{ORIGIN}/en/about/"
    assert about["alternate:fr"] == f"{ORIGIN}/fr/a-propos/"
    assert about["alternate:x-default"] == f"{ORIGIN}/en/about/"


def test_another_address_gets_its_own_urls_even_from_the_page_cache(served):
    """The page cache keys by host: a page seen on one address is not served with another's."""
    assert head_urls(served["client"], "/en/about/")["canonical"] == f"{ORIGIN}/en/about/"
    other = Client(HTTP_HOST="localhost:8080")
    assert head_urls(other, "/en/about/")["canonical"] == "http://localhost:8080/en/about/"
    secure = Client(HTTP_HOST="127.0.0.1:8443")
    response = secure.get("/en/about/", secure=True)
    assert html.fromstring(response.content).head.xpath("link[@rel='canonical']/@href") == [
        "https://127.0.0.1:8443/en/about/"
    ]


def test_sitemaps_and_robots_txt_name_the_address_the_site_is_served_on(served):
    client = served["client"]
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in robots
    index = etree.fromstring(client.get("/sitemap.xml").content)
    sitemaps = index.xpath("//sm:sitemap/sm:loc/text()", namespaces=SITEMAP_NS)
    assert sorted(sitemaps) == [f"{ORIGIN}/sitemap-en.xml", f"{ORIGIN}/sitemap-fr.xml"]
    locations, alternates = [], []
    for sitemap in sitemaps:
        response = client.get(sitemap.removeprefix(ORIGIN))
        assert response.status_code == 200
        tree = etree.fromstring(response.content)
        locations += tree.xpath("//sm:url/sm:loc/text()", namespaces=SITEMAP_NS)
        alternates += tree.xpath("//xhtml:link/@href", namespaces=SITEMAP_NS)
    assert f"{ORIGIN}/en/about/" in locations
    assert f"{ORIGIN}/fr/a-propos/" in alternates
    assert_on_origin(locations + alternates)


def test_the_feed_names_the_address_the_site_is_served_on(served):
    client = served["client"]
    response = client.get("/en/library-feed/")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    links = [parsed.feed.link, parsed.feed.id]
    links += [link.href for link in parsed.feed.links]
    for entry in parsed.entries:
        links += [entry.link, entry.id]
    assert f"{ORIGIN}{served['resource'].url}" in links
    assert_on_origin(links)
    # ... and every address in the XML: each element's href and id.
    tree = etree.fromstring(response.content)
    atom = {"atom": "http://www.w3.org/2005/Atom"}
    assert_on_origin(tree.xpath("//@href") + tree.xpath("//atom:id/text()", namespaces=atom))


def test_citations_name_the_address_the_site_is_served_on(served):
    client = served["client"]
    resource = served["resource"]
    page_url = f"{ORIGIN}{resource.url}"

    bib = client.get(f"/en/library-cite/{resource.pk}.bib").content.decode()
    (entry,) = bibtexparser.loads(bib).entries
    assert entry["url"] == page_url
    assert entry["file"].startswith(f"{ORIGIN}/documents/")
    assert entry["file"].endswith(".pdf")

    (record,) = rispy.loads(client.get(f"/en/library-cite/{resource.pk}.ris").content.decode())
    assert record["urls"] == [page_url]
    assert record["file_attachments1"] == entry["file"]

    page = html.fromstring(client.get(resource.url).content)
    (apa,) = page.xpath("//section[contains(@class, 'resource__cite')]//p[@class='citation']")
    assert apa.text_content().strip().endswith(page_url)
    shown = " ".join(page.xpath("//section[contains(@class, 'resource__cite')]//code/text()"))
    assert_on_origin(URL.findall(shown))
    assert_on_origin(URL.findall(bib))


PUBLIC = "https://www.example.org"


def test_with_site_url_every_address_is_on_it_whatever_the_requests_host(served, settings):
    """Deployed as docs/deployment.md says (SITE_URL, then `migrate`, which keeps the Site record
    in step), a request on 127.0.0.1:8000 (a health check, a proxy that rewrites Host, a spoofed
    Host that ALLOWED_HOSTS lets through) still gets the public address everywhere, and so do
    addresses made without a request (emails, commands)."""
    settings.SITE_URL = PUBLIC
    call_command("migrate", verbosity=0)
    client, resource = served["client"], served["resource"]
    for path in ("/en/about/", "/fr/a-propos/", resource.url):
        urls = head_urls(client, path)
        assert urls["canonical"] == urls["og:url"] == f"{PUBLIC}{path}"
        assert_on_origin([url for url in urls.values() if URL.match(url)], PUBLIC)
    assert head_urls(client, "/en/about/")["alternate:fr"] == f"{PUBLIC}/fr/a-propos/"

    assert f"Sitemap: {PUBLIC}/sitemap.xml" in client.get("/robots.txt").content.decode()
    index = etree.fromstring(client.get("/sitemap.xml").content)
    sitemaps = index.xpath("//sm:sitemap/sm:loc/text()", namespaces=SITEMAP_NS)
    assert sorted(sitemaps) == [f"{PUBLIC}/sitemap-en.xml", f"{PUBLIC}/sitemap-fr.xml"]
    english = etree.fromstring(client.get("/sitemap-en.xml").content)
    locations = english.xpath("//sm:url/sm:loc/text()", namespaces=SITEMAP_NS)
    assert f"{PUBLIC}/en/about/" in locations
    alternates = english.xpath("//xhtml:link/@href", namespaces=SITEMAP_NS)
    assert_on_origin(locations + alternates, PUBLIC)

    feed = etree.fromstring(client.get("/en/library-feed/").content)
    atom = {"atom": "http://www.w3.org/2005/Atom"}
    assert f"{PUBLIC}{resource.url}" in feed.xpath("//atom:entry/atom:id/text()", namespaces=atom)
    feed_urls = feed.xpath("//@href") + feed.xpath("//atom:id/text()", namespaces=atom)
    assert_on_origin(feed_urls, PUBLIC)

    bib = client.get(f"/en/library-cite/{resource.pk}.bib").content.decode()
    (entry,) = bibtexparser.loads(bib).entries
    assert entry["url"] == f"{PUBLIC}{resource.url}"
    assert entry["file"].startswith(f"{PUBLIC}/documents/")

    # Emails: the newsletter's confirmation link.
    assert client.post("/en/newsletter/", newsletter_data()).status_code == 302
    (message,) = mail.outbox
    assert f"{PUBLIC}/en/newsletter/" in message.body

    # Without a request: the Site record names SITE_URL's host and port...
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("www.example.org", 443)
    assert resource.get_full_url() == f"{PUBLIC}{resource.url}"
    # ... and SITE_URL's scheme wins on a port Wagtail's `Site.root_url` writes as http://.
    settings.SITE_URL = "https://www.example.org:8443"
    call_command("migrate", verbosity=0)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("www.example.org", 8443)
    resource = type(resource).objects.get(pk=resource.pk)  # not the site paths it has read
    assert resource.get_full_url() == f"https://www.example.org:8443{resource.url}"


def test_without_a_request_the_site_record_is_used(served):
    resource = served["resource"]
    assert resource.get_full_url() == f"http://localhost{resource.url}"


def test_the_demo_loader_sets_the_site_address_from_make_demos_host_and_port(home_page):
    """`make demo` runs `load_demo --hostname $(HOST) --port $(PORT)`: addresses made without a
    request (emails, commands) then name where the demo is served."""
    loader = DemoLoader()
    loader.site_hostname, loader.site_port = "127.0.0.1", 8000
    site_content.load(loader)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert site.root_page.specific.get_full_url() == f"{ORIGIN}/en/"

    # Without options the record is kept as it is.
    site_content.load(DemoLoader())
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
