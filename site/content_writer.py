"""Writes pages and snippets keyed by something stable (a page's slug under its parent, a
snippet's lookup), so that writing the same content twice changes nothing the second time:
existing objects are updated in place and a page is only re-published when its content really
changed. Used by the demo loader (ngo_site.demo.loader) and the library's CSV import
(resources/importer.py), which counts what it created, updated and left alone.
"""

import json

from django.db import transaction
from wagtail.models import Orderable


class ContentWriter:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.counts = {"created": 0, "updated": 0, "unchanged": 0}

    # --- reporting --------------------------------------------------------------------------
    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    def _count(self, outcome, label):
        self.counts[outcome] += 1
        if outcome != "unchanged":
            self.log(f"  {outcome}: {label}")

    # --- references -------------------------------------------------------------------------
    def resolve(self, value):
        """The values to write, references resolved: none here (the demo loader resolves its
        "@image:key" strings)."""
        return value

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

    def remember_page(self, key, page):
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
