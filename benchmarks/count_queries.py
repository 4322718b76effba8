"""`python -m benchmarks count_queries [URL ...]`: the SQL queries an anonymous visit to each URL
costs.

Each URL is requested twice through Django's test client (the first request makes renditions
and fills the caches); the second is counted. Redirects are followed once. Use it on a database
filled by `load_demo` to check a page against its query budget (docs/programmes.md).
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

DEFAULT_URLS = [
    "/en/",
    "/en/programmes/",
    "/en/programmes/social-protection/",
    "/en/programmes/urban-policies/focal-cities/",
    "/en/resources/",
    "/en/partnerships/",
    "/fr/",
]


class Command(BaseCommand):
    help = "Count the SQL queries of an anonymous request to each URL (second request)."

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="*", help=f"default: {' '.join(DEFAULT_URLS)}")
        parser.add_argument("--show", action="store_true", help="print each query's SQL")

    def handle(self, urls, show, **options):
        client = Client()
        # The page cache off: what a page costs to render, with its fragments kept.
        with override_settings(
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], WAGTAIL_CACHE=False
        ):
            for url in urls or DEFAULT_URLS:
                response = client.get(url)
                if response.status_code in (301, 302) and response.has_header("Location"):
                    url = response["Location"]
                    client.get(url)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                self.stdout.write(f"{len(queries):4d}  {response.status_code}  {url}")
                if show:
                    for query in queries.captured_queries:
                        self.stdout.write(f"        {query['sql'][:200]}")
