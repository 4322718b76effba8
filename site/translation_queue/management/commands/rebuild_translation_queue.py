"""Recompute every row of the translation queue (QueueEntry) from wagtail-localize's models.

The rows are kept up to date by signals (ngo_site.translation_queue.signals); `migrate` also
rebuilds them. Run this after changing content without signals (raw SQL, `QuerySet.update()`,
bulk inserts), or to check that nothing drifted. It also counts the words of the items never
translated whose words were never counted (SourceWordCount; published before it existed, or
imported without signals). `--check` reports the rows that differ and
exits with an error instead of fixing them.
"""

from django.core.management.base import BaseCommand, CommandError

from ngo_site.translation_queue.entries import (
    compare_entries,
    count_words_never_counted,
    rebuild_entries,
)


class Command(BaseCommand):
    help = "Recompute the translation queue's stored rows."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="only compare the stored rows with a recomputation; fail when they differ",
        )

    def handle(self, *args, check=False, **options):
        if check:
            differences = compare_entries()
            for difference in differences[:20]:
                self.stdout.write(str(difference))
            if differences:
                raise CommandError(f"{len(differences)} queue rows differ from a recomputation.")
            self.stdout.write("The translation queue's rows are up to date.")
            return
        counted = count_words_never_counted()
        if counted:
            self.stdout.write(f"Counted the words of {counted} items never translated.")
        count = rebuild_entries()
        self.stdout.write(f"Rebuilt {count} translation queue rows.")
