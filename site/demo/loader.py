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
        # {(translation key, language code): {segment path: value}}: see override_in_translation.
        self.translation_overrides = {}
        # The Site record's address (load_demo --hostname --port); None keeps the record's.
        self.site_hostname = None
        self.site_port = None

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

    # --- translations -----------------------------------------------------------------------
    def override_in_translation(self, instance, language_code, path, value):
        """Have the translation of `instance` into `language_code` (ngo_site.demo.translate) use
        `value` for the synchronised field at wagtail-localize's segment `path` (e.g.
        "documents.<row translation key>.document"), as a translator does with "override" in
        wagtail-localize's editor: a French file in place of the English one."""
        key = (instance.translation_key, language_code)
        self.translation_overrides.setdefault(key, {})[path] = value

    # --- media ------------------------------------------------------------------------------
    def image(
        self, key, title, credit="", description="", colours=("#6b1d5c", "#f4b942"), logo=False
    ):
        """A generated illustration (no binary files in the repo, no download): an abstract
        pattern of quarter circles in `colours` (background, then motifs), or, with `logo`, a
        small placeholder emblem on white. The title, description (the default alt text) and
        credit of a demo image say what it is: an illustration generated for the demo, never a
        photo it is not."""
        image = CustomImage.objects.filter(title=title).first()
        if image is None:
            drawing = _placeholder_logo(key, colours) if logo else _pattern(key, colours)
            buffer = io.BytesIO()
            drawing.save(buffer, format="PNG", optimize=True)
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


def _mix(colour, other, share):
    """`colour` moved `share` (0 to 1) of the way towards `other` (both "#rrggbb")."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))


def _pattern(key, colours, width=1600, height=900, tile=150):
    """Truchet tiles: in each square, two quarter circles in one of two orientations, or a full
    disc; the choice follows a hash of `key`, so each picture differs and loads identically."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    background, motif = colours[0], colours[1]
    canvas = PILImage.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(canvas)
    shades = [motif, _mix(motif, "#ffffff", 0.45), _mix(background, "#ffffff", 0.22)]
    seed = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    stroke = tile // 5
    for row in range(-(-height // tile)):
        for column in range(-(-width // tile)):
            choice = seed % 7
            seed = seed // 7 or int(hashlib.sha256(f"{key}{row}{column}".encode()).hexdigest(), 16)
            x, y = column * tile, row * tile
            colour = shades[(row + column + choice) % len(shades)]
            if choice == 0:
                inset = tile // 4
                draw.ellipse(
                    [x + inset, y + inset, x + tile - inset, y + tile - inset], fill=colour
                )
                continue
            half = tile // 2
            # Quarter circles centred on two opposite corners (PIL's angles run clockwise).
            if choice % 2:
                arcs = [((x, y), 0, 90), ((x + tile, y + tile), 180, 270)]
            else:
                arcs = [((x + tile, y), 90, 180), ((x, y + tile), 270, 360)]
            for (cx, cy), start, end in arcs:
                box = [cx - half, cy - half, cx + half, cy + half]
                draw.arc(box, start, end, fill=colour, width=stroke)
    return canvas


def _placeholder_logo(key, colours, width=480, height=192):
    """A placeholder logo: a ring of quarter circles beside two bars, on white."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(canvas)
    dark, light = colours[0], colours[1]
    size = height - 48
    draw.ellipse([24, 24, 24 + size, 24 + size], fill=dark)
    draw.arc([52, 52, size - 4, size - 4], 200, 340, fill=light, width=18)
    draw.arc([52, 52, size - 4, size - 4], 20, 160, fill="#ffffff", width=18)
    offset = int(hashlib.sha256(key.encode()).hexdigest(), 16) % 60
    draw.rounded_rectangle([size + 56, 52, width - 40 - offset, 84], radius=16, fill=dark)
    draw.rounded_rectangle([size + 56, 108, width - 100 + offset // 2, 140], radius=16, fill=light)
    return canvas


def home_page_for(locale):
    """The home page of a locale: the page at depth 2 in that locale."""
    return Page.objects.filter(depth=2, locale=locale).first()
