"""Demo section, run last: translate the demo content through wagtail-localize.

Translations are not separate pages written by hand. Each app ships PO catalogues of its demo
strings (`<app>/demo/<language>.po`, msgid = the English text, msgstr = the translation, written
from the organisation's French texts). For every translatable page and snippet of the default
language this section does what a translator does in wagtail-localize: it creates the
translation, fills the strings that the catalogues know, and publishes it. Objects none of whose
strings are known are left untranslated, so the translators' queue has work to show.

A translation can also put another value in a synchronised field, as a translator does with
"override" in wagtail-localize's editor: the sections register those with
`loader.override_in_translation` (the French page of the care-systems paper offers the French PDF
where the English page offers the English one).

One page is left outdated on purpose, so that the queue's "outdated" filter has an item to show:
the French of the privacy policy was translated from an earlier version of its English paragraph
(without the clause in EARLIER_CLAUSE_REMOVED); the English page (site/demo/site.yaml) has the
clause since. The translation is made from that earlier version in memory, so loading the demo
again changes nothing.

`manage.py demo_strings fr` lists the strings that are still missing from the catalogues.
"""

import json
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from wagtail.models import DraftStateMixin, Page, TranslatableMixin
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.models import (
    SegmentOverride,
    StringSegment,
    Translation,
    TranslationSource,
)
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.segments.types import StringSegmentValue

from ngo_site.translation_queue.signals import record_source_change

OUTDATED_PAGE_SLUG = "privacy"
# The clause added to the English paragraph after it was translated, in English and as the
# catalogue's French of the current paragraph words it.
EARLIER_CLAUSE_REMOVED = {
    "en": ", and you can ask us to delete them at any time",
    "fr": ", et vous pouvez nous demander de les supprimer à tout moment",
}


def catalogue(language_code):
    """msgid -> msgstr from every app's demo/<language>.po."""
    strings = {}
    for app_config in apps.get_app_configs():
        path = Path(app_config.path) / "demo" / f"{language_code}.po"
        if path.exists():
            for entry in polib.pofile(str(path)):
                if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
                    strings[entry.msgid] = entry.msgstr
    return strings


def translatable_objects(source_locale):
    """Pages level by level (parents before children; a project's contributing programmes, its
    parent's siblings, before the project, so that its translation can point to theirs), each
    level in tree order, then translatable snippets."""
    pages = (
        Page.objects.filter(locale=source_locale, depth__gte=2).order_by("depth", "path").specific()
    )
    yield from pages
    for model in get_snippet_models():
        if issubclass(model, TranslatableMixin):
            yield from model.objects.filter(locale=source_locale).order_by("pk")


def source_strings(source):
    return set(
        StringSegment.objects.filter(source=source).values_list("context__path", "string__data")
    )


def knows_any_string(instance, strings):
    """Whether the catalogues translate at least one string of `instance`. Checked on the
    segments extracted in memory, so objects nobody translates cost no database writes."""
    return any(
        isinstance(segment, StringSegmentValue) and segment.string.data in strings
        for segment in extract_segments(instance)
    )


def is_outdated_page(instance):
    return (
        isinstance(instance, Page) and instance.depth == 3 and instance.slug == OUTDATED_PAGE_SLUG
    )


def earlier_version(instance, strings, language_code):
    """The outdated page as it was when it was translated (in memory), and the catalogue with
    the French of that earlier text. Fails loudly when site.yaml or the catalogue no longer have
    the clause, rather than quietly leaving the queue without an outdated item."""
    earlier = type(instance).objects.get(pk=instance.pk)
    english, french = EARLIER_CLAUSE_REMOVED["en"], EARLIER_CLAUSE_REMOVED[language_code]
    body = earlier.body.get_prep_value()
    paragraphs = [block for block in body if english in str(block.get("value", ""))]
    current = [text for text in strings if english in text]
    if len(paragraphs) != 1 or len(current) != 1 or french not in strings[current[0]]:
        raise ValueError(
            f"The demo's outdated page ({OUTDATED_PAGE_SLUG}) needs exactly one English paragraph "
            f"with {english!r} and its translation with {french!r}: update "
            "site/demo/translate.py with site/demo/site.yaml and site/demo/fr.po."
        )
    paragraphs[0]["value"] = paragraphs[0]["value"].replace(english, "")
    earlier.body = body
    strings = {**strings, current[0].replace(english, ""): strings[current[0]].replace(french, "")}
    return earlier, strings


def apply_overrides(source, target_locale, overrides):
    """Set `overrides` ({segment path: value}) in the translation of `source` into
    `target_locale`, the rows wagtail-localize's editor writes; whether any of them changed."""
    changed = False
    for path, value in overrides.items():
        segment = (
            source.overridablesegment_set.filter(context__path=path)
            .select_related("context")
            .first()
        )
        if segment is None:
            raise ValueError(
                f"The demo overrides {path!r} in the translation of "
                f"{source.get_source_instance()}, which has no such synchronised field."
            )
        data_json = json.dumps(value)
        override, created = SegmentOverride.objects.get_or_create(
            locale=target_locale, context=segment.context, defaults={"data_json": data_json}
        )
        if not created and override.data_json != data_json:
            override.data_json = data_json
            override.save()
            changed = True
        changed = changed or created
    return changed


def translate(loader, instance, target_locale, strings):
    translated_from = instance
    if is_outdated_page(instance) and target_locale.language_code in EARLIER_CLAUSE_REMOVED:
        translated_from, strings = earlier_version(instance, strings, target_locale.language_code)
    if not knows_any_string(translated_from, strings):
        return
    previous = TranslationSource.objects.filter(
        object_id=instance.translation_key, locale_id=instance.locale_id
    ).first()
    strings_before = source_strings(previous) if previous else None
    source, _ = TranslationSource.update_or_create_from_instance(translated_from)
    # Compare what there is to translate, not the stored JSON: PostgreSQL may list unordered
    # related rows in another order, which changes the JSON without changing the content.
    source_changed = strings_before is None or source_strings(source) != strings_before
    translation = Translation.objects.filter(source=source, target_locale=target_locale).first()
    po = (translation or Translation(source=source, target_locale=target_locale)).export_po()
    known = [entry for entry in po if not entry.obsolete and entry.msgid in strings]
    if not known:
        return
    if translation is None:
        translation = Translation.objects.create(source=source, target_locale=target_locale)
        po = translation.export_po()
        known = [entry for entry in po if not entry.obsolete and entry.msgid in strings]
    strings_changed = any(entry.msgstr != strings[entry.msgid] for entry in known)
    for entry in known:
        entry.msgstr = strings[entry.msgid]
    if strings_changed:
        translation.import_po(po, translation_type="manual", tool_name="demo content")
    overrides = loader.translation_overrides.get(
        (instance.translation_key, target_locale.language_code), {}
    )
    overrides_changed = apply_overrides(source, target_locale, overrides)
    label = f"{target_locale.language_code} translation of {instance}"
    exists = instance.has_translation(target_locale)
    if strings_changed or overrides_changed or source_changed or not exists:
        publish(translation, instance, target_locale)
        loader._count("updated" if exists else "created", label)
    else:
        loader._count("unchanged", label)
    if translated_from is not instance:
        record_source_change(instance)  # what a translator sees after the English was revised


def publish(translation, instance, target_locale):
    """Save the translation and publish it now.

    wagtail-localize's own `save_target(publish=True)` defers the publication of pages to
    transaction.on_commit() with the page object as it was then; inside a transaction (the whole
    of load_demo, or a test) that stale object would later overwrite tree data of pages that got
    children in the meantime. So pages are saved as a draft and their revision published here,
    from a fresh copy. Snippets without drafts are saved directly."""
    if not isinstance(instance, DraftStateMixin):
        translation.save_target(publish=True)
        return
    translation.save_target(publish=False)
    target = instance.get_translation(target_locale)
    fresh = type(target).objects.get(pk=target.pk)
    fresh.get_latest_revision().publish()


def load(loader):
    source_locale = loader.locale(settings.LANGUAGE_CODE)
    for language_code, _name in settings.LANGUAGES:
        if language_code == settings.LANGUAGE_CODE:
            continue
        strings = catalogue(language_code)
        if not strings:
            continue
        target_locale = loader.locale(language_code)
        for instance in translatable_objects(source_locale):
            translate(loader, instance, target_locale, strings)
