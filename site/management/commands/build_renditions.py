"""`manage.py build_renditions`: make the renditions every live page and snippet shows.

Pages published and snippets saved since ngo_site.prebuilt_renditions get theirs at that moment;
this makes them for content older than that (after a deploy, a restore, or a deletion of
renditions by hand), so that no visitor waits for them. Renditions that exist are kept; each
is made in the folder of ngo_site.private_files' rule. Prints the number of renditions made.
"""

from django.core.management.base import BaseCommand
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.snippets.models import get_snippet_models

from ngo_site.prebuilt_renditions import build_renditions, specs_by_image


class Command(BaseCommand):
    help = "Make the renditions that live pages and snippets show (those missing only)."

    def handle(self, *args, **options):
        wanted = {}
        sources = [page.specific_deferred for page in Page.objects.live().filter(depth__gt=1)]
        for model in get_snippet_models():
            sources.extend(model._default_manager.all())
        for source in sources:
            for image_id, specs in specs_by_image(
                ReferenceIndex.get_references_for_object(source)
            ).items():
                wanted.setdefault(image_id, [])
                wanted[image_id].extend(spec for spec in specs if spec not in wanted[image_id])
        renditions = get_image_model().get_rendition_model().objects
        before = renditions.count()
        build_renditions(wanted)
        self.stdout.write(f"{renditions.count() - before} renditions made")
