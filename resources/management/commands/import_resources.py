"""`manage.py import_resources FILE.csv`: create or update library resources from a CSV file.

The format and what each option does: docs/import.md. The work is in resources/importer.py.
"""

import logging

from django.core.management.base import BaseCommand, CommandError

from resources.importer import COLUMNS, ImportAborted, import_resources


class Command(BaseCommand):
    help = (
        "Create or update resources of the English library from a CSV file, matched by "
        f"external_id. Columns: {', '.join(COLUMNS)}. See docs/import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8, comma-separated, a header row).")
        parser.add_argument(
            "--documents",
            metavar="DIR",
            help="The folder holding the PDF files named in the documents column.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report what would happen, without saving anything.",
        )
        parser.add_argument(
            "--create-terms",
            action="store_true",
            help="Create unknown resource types, themes and regions instead of rejecting the row.",
        )

    def handle(self, *args, **options):
        if options["verbosity"] < 2:
            # Wagtail logs every page action at INFO; the report below says what happened.
            logging.getLogger("wagtail").setLevel(logging.WARNING)
        try:
            report = import_resources(
                options["file"],
                documents_dir=options["documents"],
                dry_run=options["dry_run"],
                create_terms=options["create_terms"],
            )
        except ImportAborted as error:
            raise CommandError(str(error)) from error

        prefix = "[dry run] " if report.dry_run else ""
        if options["verbosity"] > 0:
            for outcome in ("created", "updated"):
                for row in getattr(report, outcome):
                    self.stdout.write(f"{prefix}{row.label}: {outcome} “{row.title}”")
            for kind, name in report.created_terms:
                self.stdout.write(f"{prefix}new {kind}: {name}")
            for row in report.notes:
                self.stdout.write(f"{prefix}{row.label}: note: {row.message}")
        # Each rejected row by its number in the spreadsheet and its external ID.
        for row in report.failed:
            self.stderr.write(f"{row.label}: {row.message}")
        summary = f"{prefix}{report.summary()}."
        style = self.style.WARNING if report.failed else self.style.SUCCESS
        self.stdout.write(style(summary))
