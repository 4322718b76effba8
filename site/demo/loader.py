"""The demo-content loader: builds the page tree and snippets from YAML files in the repo.

Every operation is keyed by something stable (a page's slug under its parent, a snippet's name,
an image's title), so loading twice changes nothing the second time: existing objects are
updated in place and a page is only re-published when its content really changed. Pages and
snippets are written by `ngo_site.content_writer.ContentWriter`, which the library's CSV import
uses too; the loader adds the generated images and the references below.

Data files live next to the code that loads them (e.g. site/demo/site.yaml). References to other
objects are written as strings and resolved here:
    "@image:<key>"    an image the loader generated (see `image()`)
    "@document:<key>" a document the loader registered
    "@page:<key>"     a page registered with `remember_page()`
"""

import hashlib
import io
from pathlib import Path

import yaml
from django.core.files.images import ImageFile
from wagtail.models import Locale, Page

from ngo_site.content_writer import ContentWriter
from ngo_site.models import CustomImage


def read_yaml(path):
    with Path(path).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class DemoLoader(ContentWriter):
    """The writer of ngo_site.content_writer (create or update, re-publish only on a change),
    with the demo's generated images and its "@image:key" style references."""

    def __init__(self, stdout=None):
        super().__init__(stdout=stdout)
        self.images = {}
        self.documents = {}
        self.pages = {}

    # --- locales ----------------------------------------------------------------------------
    def locale(self, language_code):
        locale, _ = Locale.objects.get_or_create(language_code=language_code)
        return locale

    # --- references -------------------------------------------------------------------------
    def remember_page(self, key, page):
        self.pages[key] = page
        return page

    def resolve(self, value):
        """Replace "@image:key" style strings (anywhere in nested data) by primary keys."""
        if isinstance(value, dict):
            return {key: self.resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if isinstance(value, str) and value.startswith("@"):
            kind, _, key = value[1:].partition(":")
            registry = {"image": self.images, "document": self.documents, "page": self.pages}
            if kind in registry:
                try:
                    return registry[kind][key].pk
                except KeyError as exc:
                    raise KeyError(f"Demo data refers to unknown {kind} {key!r}") from exc
        return value

    # --- media ------------------------------------------------------------------------------
    def image(self, key, title, credit="", description="", colours=("#6b1d5c", "#f4b942")):
        """A generated placeholder picture (no binary files in the repo, no download)."""
        from PIL import Image as PILImage
        from PIL import ImageDraw

        image = CustomImage.objects.filter(title=title).first()
        if image is None:
            width, height = 1600, 900
            canvas = PILImage.new("RGB", (width, height), colours[0])
            draw = ImageDraw.Draw(canvas)
            # A few deterministic bands so each picture looks different but stays small.
            seed = int(hashlib.sha256(key.encode()).hexdigest(), 16)
            for band in range(6):
                offset = (seed >> (band * 8)) % 400
                draw.rectangle(
                    [band * 280 - offset // 4, height - 200 - offset, band * 280 + 220, height],
                    fill=colours[band % 2],
                )
            buffer = io.BytesIO()
            canvas.save(buffer, format="PNG", optimize=True)
            image = CustomImage(title=title, credit=credit, description=description)
            image.file = ImageFile(buffer, name=f"{key}.png")
            image.save()
            self._count("created", f"image {title}")
        elif image.credit != credit or image.description != description:
            image.credit, image.description = credit, description
            image.save(update_fields=["credit", "description"])
            self._count("updated", f"image {title}")
        else:
            self._count("unchanged", f"image {title}")
        self.images[key] = image
        return image


def home_page_for(locale):
    """The home page of a locale: the page at depth 2 in that locale."""
    return Page.objects.filter(depth=2, locale=locale).first()
