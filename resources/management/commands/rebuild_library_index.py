"""Rebuild the library's search tables (`ResourceSearchDocument`, `ResourceFacet`) for every
live resource, e.g. after an upgrade that changes what they hold (the Snowball stems on
SQLite), or to repair them. Publishing keeps them up to date otherwise."""

from django.core.management.base import BaseCommand

from resources import index
from resources.models import ResourcePage

BATCH_SIZE = 500


class Command(BaseCommand):
    help = "Rebuild the library's search tables for every live resource."

    def handle(self, *args, **options):
        ids = list(ResourcePage.objects.live().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            index.index_resources(
                ResourcePage.objects.filter(pk__in=ids[start : start + BATCH_SIZE])
            )
        self.stdout.write(f"Library index rebuilt for {len(ids)} live resource(s).")
