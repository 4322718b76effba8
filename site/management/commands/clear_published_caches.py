from django.core.management.base import BaseCommand

from ngo_site.page_cache import clear_published_content_caches


class Command(BaseCommand):
    help = (
        "Empty the page cache and the template fragments, as publishing does: after a restore, "
        "or a publication made while Redis was down."
    )

    def handle(self, *args, **options):
        clear_published_content_caches()
        self.stdout.write("The page cache and the template fragments are empty.")
