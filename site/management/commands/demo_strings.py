"""`manage.py demo_strings fr`: the demo content's strings that no demo catalogue translates yet.

Prints a PO file (msgid = English text, empty msgstr) to paste into an app's demo/<lang>.po.
"""

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.segments.types import StringSegmentValue

from ngo_site.demo.translate import catalogue, translatable_objects


class Command(BaseCommand):
    help = "List demo-content strings missing from the demo translation catalogues."

    def add_arguments(self, parser):
        parser.add_argument("language", help="target language code, e.g. fr")

    def handle(self, language, **options):
        if language not in dict(settings.LANGUAGES) or language == settings.LANGUAGE_CODE:
            raise CommandError(f"{language!r} is not one of the site's target languages.")
        known = catalogue(language)
        source_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
        po = polib.POFile(wrapwidth=0)
        seen = set()
        for instance in translatable_objects(source_locale):
            for segment in extract_segments(instance):
                if not isinstance(segment, StringSegmentValue):
                    continue
                text = segment.render_text() if segment.string.data is None else segment.string.data
                if text in known or text in seen:
                    continue
                seen.add(text)
                po.append(
                    polib.POEntry(msgid=text, msgstr="", comment=f"{instance} · {segment.path}")
                )
        self.stdout.write(str(po))
