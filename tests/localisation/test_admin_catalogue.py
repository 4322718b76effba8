"""What editors and translators read in the admin is in the French catalogues too: the names and
help texts of our models' fields, the headings of their edit panels and the labels of their
StreamField blocks. (The crawl of tests/localisation/test_french_site.py covers what visitors read;
the admin has no French demo page to crawl, so this test reads the models themselves.)

A text counts as translated when it is marked for translation and reads differently in French, or
its msgid has a French entry (a word spelt the same in both languages) in the compiled catalogues:
ours, Wagtail's or Django's. `make test` compiles ours before the pytest stages.
"""

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import override, trans_real
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, get_edit_handler
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page
from wagtail.snippets.models import get_snippet_models

OUR_APPS = {"ngo_site", "programmes", "resources", "partnerships"}
NOT_GIVEN = object()


def french_catalogue():
    """Django's French catalogue: ours merged with Wagtail's and Django's (compiled .mo files)."""
    # DjangoTranslation keeps the merged entries in gettext's `_catalog`; a msgid is in it only
    # when some catalogue translates it.
    return trans_real.translation("fr")._catalog


def editable_models():
    """Our page types and snippets: what the admin has edit forms for."""
    snippets = set(get_snippet_models())
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and (issubclass(model, Page) or model in snippets)
    ]


def texts_of_panel(panel, where):
    """(where, text) for the heading, help text and StreamField block labels of a bound panel
    and of the panels inside it: what its form shows."""
    db_field = getattr(panel, "db_field", None) if isinstance(panel, FieldPanel) else None
    heading = panel.heading or (db_field.verbose_name if db_field is not None else "")
    help_text = panel.help_text or (getattr(db_field, "help_text", "") if db_field else "")
    label = f"{where} › {db_field.name if db_field is not None else heading}"
    if heading:
        yield f"{label} (heading)", heading
    if help_text:
        yield f"{label} (help text)", help_text
    if isinstance(db_field, StreamField):
        yield from texts_of_block(label, db_field.stream_block)
    if isinstance(panel, InlinePanel):
        yield f"{label} (label)", panel.label
        yield from texts_of_panel(panel.child_edit_handler, label)
    for child in getattr(panel, "children", ()):
        yield from texts_of_panel(child, label)


def texts_of_block(where, block):
    children = getattr(block, "child_blocks", None) or {}
    if isinstance(block, blocks.ListBlock):
        children = {"item": block.child_block}
    for name, child in children.items():
        label = f"{where}.{name}"
        if child.meta.label:
            yield f"{label} (block label)", child.meta.label
        if getattr(child.meta, "help_text", None):
            yield f"{label} (block help text)", child.meta.help_text
        yield from texts_of_block(label, child)


def texts_of_model(model):
    meta = model._meta
    yield f"{meta.label} (verbose_name)", meta.verbose_name
    # Without it Django adds an "s" to the singular, in English and in French alike.
    yield (
        f"{meta.label} (verbose_name_plural)",
        (meta.verbose_name_plural if "verbose_name_plural" in meta.original_attrs else NOT_GIVEN),
    )
    # Pages build their tabbed edit handler themselves (content, promote, settings).
    handler = model.get_edit_handler() if issubclass(model, Page) else get_edit_handler(model)
    yield from texts_of_panel(handler, meta.label)


def texts_of_media_models():
    """The fields our image and document models add to Wagtail's (credits, titles ...)."""
    for model, wagtail_model in (
        (get_image_model(), AbstractImage),
        (get_document_model(), AbstractDocument),
    ):
        inherited = {field.name for field in wagtail_model._meta.get_fields()}
        for field in model._meta.local_fields:
            if field.name not in inherited and field.editable and not field.auto_created:
                yield f"{model._meta.label}.{field.name} (verbose_name)", field.verbose_name
                if field.help_text:
                    yield f"{model._meta.label}.{field.name} (help text)", field.help_text


def problem(text, catalogue):
    """Why an editor reading the French admin would see this text in English, or None."""
    if text is NOT_GIVEN:
        return "is not given (Django's default plural adds an English 's')"
    if not isinstance(text, Promise):
        return "is not marked for translation"
    with override("en"):
        english = str(text)
    with override("fr"):
        french = str(text)
    # A word spelt the same in both languages ("Description", "slug") counts when a catalogue
    # has it.
    if french != english or english in catalogue:
        return None
    return "has no French translation"


def test_every_admin_text_of_our_models_is_in_the_french_catalogues():
    catalogue = french_catalogue()
    texts = [text for model in editable_models() for text in texts_of_model(model)]
    texts += list(texts_of_media_models())
    assert len(texts) > 300, "the walk over panels and blocks found too little to be complete"
    untranslated = set()
    for where, text in texts:
        reason = problem(text, catalogue)
        if reason:
            shown = "" if text is NOT_GIVEN else f" {str(text)!r}"
            untranslated.add(f"{where}:{shown} {reason}")
    assert not untranslated, "\n".join(sorted(untranslated))


def test_the_french_resource_form_adds_one_item_at_a_time(client, django_user_model, home_page):
    """Issue 27: Wagtail writes an inline panel's button "Add <label>" ("Ajouter un(e) <label>"):
    the label is one item ("author"), the heading the list ("Authors")."""
    from wagtail.users.models import UserProfile

    from tests.resources.factories import LibraryPageFactory

    library = LibraryPageFactory(parent=home_page)
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(user)

    html = client.get(
        f"/admin/pages/add/resources/resourcepage/{library.pk}/", follow=True
    ).content.decode()

    for item in ("auteur", "langue", "thème", "région ou pays", "document", "ressource liée"):
        assert f"Ajouter un(e) {item}\n" in html or f"Ajouter un(e) {item}<" in html, item
    assert "Ajouter un(e) auteurs" not in html
