from django.core.management.base import BaseCommand

from ngo_site.translation_queue.glossary import seed_glossary


class Command(BaseCommand):
    help = (
        "Add the translated names of the library's taxonomies and of the programmes to the "
        "translators' glossary as approved terms (existing terms are kept as they are)."
    )

    def handle(self, *args, **options):
        added = seed_glossary()
        self.stdout.write(f"{added} glossary terms added.")
