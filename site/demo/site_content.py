"""Demo section: locales, the site record, the English home page, plain pages and the footer."""

from pathlib import Path

from django.conf import settings
from wagtail.models import Page, Site

from ngo_site.models import FooterContent, HomePage, StandardPage

from .loader import read_yaml

DATA = Path(__file__).with_name("site.yaml")


def ensure_home_page(loader, data, locale):
    """Make our HomePage the site root, replacing Wagtail's untouched "Welcome" page."""
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(depth=2, locale=locale).first()
    if home is None:
        welcome = root.get_children().filter(slug="home").first()
        if welcome is not None:
            if welcome.specific_class is not Page or welcome.get_children().exists():
                raise RuntimeError(
                    f"{welcome.url_path} exists and is not Wagtail's default welcome page; "
                    "load_demo will not replace it."
                )
            for site in Site.objects.filter(root_page=welcome):
                site.root_page = root
                site.save()
            welcome.delete()
            root.refresh_from_db()
    fields = {
        key: data[key]
        for key in ("title", "hero_heading", "summary", "introduction", "body")
        if key in data
    }
    home = loader.page(root, HomePage, "home", fields, key="home")
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    hostname = loader.site_hostname or site.hostname or "localhost"
    port = loader.site_port or site.port or 80
    if (site.root_page_id, site.site_name, site.hostname, site.port) != (
        home.pk,
        loader.site_name,
        hostname,
        port,
    ):
        site.hostname, site.port = hostname, port
        site.root_page = home
        site.site_name = loader.site_name
        site.save()
    return home


def load(loader):
    data = read_yaml(DATA)
    english = loader.locale(settings.LANGUAGE_CODE)
    for code, _name in settings.LANGUAGES:
        loader.locale(code)
    loader.site_name = data["site_name"]
    home = ensure_home_page(loader, data["home"], english)
    for page_data in data["pages"]:
        fields = {key: value for key, value in page_data.items() if key != "slug"}
        loader.page(home, StandardPage, page_data["slug"], fields, key=page_data["slug"])
    footer = dict(data["footer"])
    loader.snippet(FooterContent, {"name": footer.pop("name"), "locale": english}, footer)
