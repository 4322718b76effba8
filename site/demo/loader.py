"""The demo-content loader: builds the page tree and snippets from YAML files in the repo.

Every operation is keyed by something stable (a page's slug under its parent, a snippet's name,
an image's title), so loading twice changes nothing the second time: existing objects are
updated in place and a page is only re-published when its content really changed.

Data files live next to the code that loads them (e.g. site/demo/site.yaml). References to other
objects are written as strings and resolved here:
    "@image:<key>"    an image the loader generated (see `image()`)
    "@document:<key>" a document the loader registered
    "@page:<key>"     a page registered with `remember_page()`
"""

import hashlib
import io
import json
from pathlib import Path

import yaml
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.models import Locale, Orderable, Page

from ngo_site.models import CustomImage


def read_yaml(path):
    with Path(path).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class DemoLoader:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.counts = {"created": 0, "updated": 0, "unchanged": 0}
        self.images = {}
        self.documents = {}
        self.pages = {}
        # The Site record's address (load_demo --hostname --port); None keeps the record's.
        self.site_hostname = None
        self.site_port = None

    # --- reporting --------------------------------------------------------------------------
    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    def _count(self, outcome, label):
        self.counts[outcome] += 1
        if outcome != "unchanged":
            self.log(f"  {outcome}: {label}")

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

    # --- pages ------------------------------------------------------------------------------
    def page(self, parent, model, slug, fields, children=None, key=None):
        """Create or update the page `slug` under `parent` and publish it if it changed.

        `fields` are model fields (StreamField values as lists of {"type", "value"} dicts);
        `children` maps a child relation (InlinePanel) name to a list of field dicts.
        """
        fields = self.resolve(fields)
        children = self.resolve(children or {})
        existing = parent.get_children().filter(slug=slug).first()
        if existing is None:
            page = model(slug=slug, locale=parent.locale)
            _assign(page, fields, children)
            with transaction.atomic():
                parent.add_child(instance=page)
                page.save_revision().publish()
            self._count("created", f"page {page.url_path}")
        else:
            page = existing.specific
            if not isinstance(page, model):
                raise TypeError(f"{page.url_path} is a {type(page).__name__}, not {model.__name__}")
            if _differs(page, fields, children) or not page.live:
                _assign(page, fields, children)
                with transaction.atomic():
                    page.save_revision().publish()
                self._count("updated", f"page {page.url_path}")
            else:
                self._count("unchanged", f"page {page.url_path}")
        if key:
            self.remember_page(key, page)
        return page

    # --- snippets ---------------------------------------------------------------------------
    def snippet(self, model, lookup, fields):
        """Create or update the snippet matching `lookup` (e.g. name and locale)."""
        fields = self.resolve(fields)
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup)
            _assign(instance, fields, {})
            instance.save()
            self._count("created", f"{model._meta.verbose_name} {instance}")
        elif _differs(instance, fields, {}):
            _assign(instance, fields, {})
            instance.save()
            self._count("updated", f"{model._meta.verbose_name} {instance}")
        else:
            self._count("unchanged", f"{model._meta.verbose_name} {instance}")
        return instance


def _is_stream_field(field):
    return type(field).__name__ == "StreamField"


def _without_block_ids(data):
    if isinstance(data, dict):
        return {key: _without_block_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [_without_block_ids(item) for item in data]
    return data


def _field_state(obj, name):
    field = obj._meta.get_field(name)
    if _is_stream_field(field):
        return _without_block_ids(json.loads(json.dumps(field.get_prep_value(getattr(obj, name)))))
    return getattr(obj, field.attname)


def _wanted_state(model, name, value):
    field = model._meta.get_field(name)
    if _is_stream_field(field):
        return _without_block_ids(json.loads(json.dumps(value)))
    return field.to_python(value)


def _differs(obj, fields, children):
    """Whether assigning `fields` and `children` would change `obj`."""
    for name, value in fields.items():
        if _field_state(obj, name) != _wanted_state(type(obj), name, value):
            return True
    for relation, rows in children.items():
        existing = list(getattr(obj, relation).all())
        if len(existing) != len(rows):
            return True
        # Rows saved without an order (by an older loader) come back in any order.
        if any(getattr(item, "sort_order", 0) is None for item in existing):
            return True
        for item, row in zip(existing, rows, strict=True):
            for name, value in row.items():
                if _field_state(item, name) != _wanted_state(type(item), name, value):
                    return True
    return False


def _assign(obj, fields, children):
    for name, value in fields.items():
        field = obj._meta.get_field(name)
        setattr(obj, field.attname, json.dumps(value) if _is_stream_field(field) else value)
    for relation, rows in children.items():
        related_model = obj._meta.get_field(relation).related_model
        items = []
        for position, row in enumerate(rows):
            values = {
                related_model._meta.get_field(name).attname: value for name, value in row.items()
            }
            # The editors' order: without it PostgreSQL returns the rows in any order.
            if issubclass(related_model, Orderable):
                values["sort_order"] = position
            items.append(related_model(**values))
        setattr(obj, relation, items)


def home_page_for(locale):
    """The home page of a locale: the page at depth 2 in that locale."""
    return Page.objects.filter(depth=2, locale=locale).first()
