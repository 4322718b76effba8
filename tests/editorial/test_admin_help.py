"""Every field an editor fills in explains itself, and every page type says what it is for.

The tests walk the real edit handlers (the panels Wagtail builds the admin forms from), inline
panels included, so a field added to a page type, an orderable or a snippet of our apps without
help text makes them fail and name the field.
"""

import pytest
from django.urls import reverse
from wagtail.admin.panels import FieldPanel, InlinePanel, get_edit_handler
from wagtail.models import Page, get_page_models
from wagtail.snippets.models import get_snippet_models

OUR_APPS = {"ngo_site", "programmes", "resources", "partnerships"}

# Fields of Wagtail's own Page model that its "Publishing schedule" dialog explains in its own
# text; every other field (Wagtail's title, slug, SEO fields included) must carry help text.
WAGTAIL_EXPLAINED = {(Page, "go_live_at"), (Page, "expire_at")}


def our_models(models):
    return [model for model in models if model._meta.app_label in OUR_APPS]


PAGE_MODELS = our_models(get_page_models())
SNIPPET_MODELS = our_models(get_snippet_models())


def edit_handler(model):
    return model.get_edit_handler() if issubclass(model, Page) else get_edit_handler(model)


def panel_fields(panel, model):
    """Every model field under `panel`, following inline panels into their child models."""
    if isinstance(panel, InlinePanel):
        child_model = model._meta.get_field(panel.relation_name).related_model
        for child in child_model.panels:
            yield from panel_fields(child, child_model)
        return
    if isinstance(panel, FieldPanel):
        yield model._meta.get_field(panel.field_name)
    for child in getattr(panel, "children", ()):
        yield from panel_fields(child, model)


def fields_of(model):
    return list(panel_fields(edit_handler(model), model))


def test_the_walk_sees_every_tab_and_inline_panel():
    names = {model.__name__ for model in PAGE_MODELS + SNIPPET_MODELS}
    assert {"HomePage", "ProjectPage", "ResourcePage", "PartnershipsPage"} <= names
    assert {"FooterContent", "Funder", "FAQGroup", "ResourceType", "Theme", "Region"} <= names
    from resources.models import ResourcePage

    resource_fields = {(field.model.__name__, field.name) for field in fields_of(ResourcePage)}
    assert {
        ("Page", "title"),  # content tab
        ("ResourceAuthor", "name"),  # inline panel
        ("ResourceLanguage", "language"),
        ("Page", "go_live_at"),  # settings tab
    } <= resource_fields
    assert any(field.name == "social_image" for field in fields_of(ResourcePage))  # promote tab


@pytest.mark.parametrize("model", PAGE_MODELS + SNIPPET_MODELS, ids=lambda model: model.__name__)
def test_every_editable_field_has_help_text(model):
    missing = sorted(
        {
            f"{field.model.__name__}.{field.name}"
            for field in fields_of(model)
            if not field.help_text and (field.model, field.name) not in WAGTAIL_EXPLAINED
        }
    )
    assert not missing, f"Fields without help_text: {', '.join(missing)}"


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda model: model.__name__)
def test_every_page_type_has_a_description(model):
    assert str(model.page_description or "").strip(), f"{model.__name__} has no page_description"


@pytest.mark.django_db
def test_the_editor_sees_page_descriptions_and_help_texts(admin_client, home_page):
    from partnerships.models import Funder
    from programmes.models import ProgrammeIndexPage

    choose_type = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=[home_page.pk]))
    assert choose_type.status_code == 200
    assert str(ProgrammeIndexPage.page_description) in choose_type.content.decode()

    add_funder = admin_client.get(reverse("wagtailsnippets_partnerships_funder:add"))
    assert add_funder.status_code == 200
    assert str(Funder._meta.get_field("funder_type").help_text) in add_funder.content.decode()
