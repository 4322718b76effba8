"""`manage.py load_demo`: build (or bring up to date) the demo site from the data files.

Safe to run again: objects are matched by stable keys, so nothing is duplicated and unchanged
pages are not re-published. The sections run in the order of settings.DEMO_CONTENT_SECTIONS.
"""

import logging
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from ngo_site.demo.loader import DemoLoader
from ngo_site.demo.reference_index import reference_index_updated_at_the_end
from ngo_site.translation_queue.entries import count_words_never_counted


class Command(BaseCommand):
    help = "Create or update the demo content (idempotent)."

    def add_arguments(self, parser):
        # `make demo` passes its HOST and PORT: pages' full URLs built without a request (emails,
        # commands) then name the address the demo is served on (ngo_site.addresses).
        parser.add_argument(
            "--hostname",
            help="The host name of the demo site's Site record (default: kept, or localhost).",
        )
        parser.add_argument(
            "--port",
            type=int,
            help="The port of the demo site's Site record (default: kept, or 80).",
        )

    def handle(self, *args, **options):
        if options["verbosity"] < 2:
            # Wagtail logs every page action at INFO; the loader prints its own summary instead.
            logging.getLogger("wagtail").setLevel(logging.WARNING)
        loader = DemoLoader(stdout=self.stdout if options["verbosity"] > 1 else None)
        loader.site_hostname = options.get("hostname")
        loader.site_port = options.get("port")
        # All or nothing: a failing section leaves the database as it was.
        with transaction.atomic(), reference_index_updated_at_the_end():
            for dotted_path in settings.DEMO_CONTENT_SECTIONS:
                self.stdout.write(f"Loading {dotted_path}")
                import_module(dotted_path).load(loader)
            # The generated library resources are bulk-created, without the publication
            # signal that counts a new item's words for the translation queue.
            count_words_never_counted()
        counts = loader.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged."
            )
        )
