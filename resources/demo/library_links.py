"""Demo section, after the programmes: links each demo resource to its programmes (they did not
exist when the library section ran), tells the translation section which document a row offers in
a translation (library.yaml, `translations`), and builds the library's search index of the demo."""

from pathlib import Path

from ngo_site.demo.loader import read_yaml
from programmes.models import ProgrammePage
from resources import index
from resources.demo.library_content import DATA, generated_resources, seed_fields
from resources.models import LibraryPage, ResourceDocument, ResourcePage, ResourceProgrammeLink

SEED_DATA = Path(DATA)


def load(loader):
    data = read_yaml(SEED_DATA)
    english = loader.locale("en")
    library = LibraryPage.objects.get(pk=loader.pages["library"].pk)
    programmes = {
        page.slug: page for page in ProgrammePage.objects.filter(locale=english).only("slug")
    }
    # The seed resources: saved and published through the loader, so their revision has the
    # programmes too (what an editor opening them sees).
    terms = loader.library_terms
    # Seed resources' related practices are resources of the library, by slug.
    related_pages = dict(library.get_children().values_list("slug", "pk"))
    for item in data["resources"]:
        fields, children = seed_fields(item, terms, programmes, related_pages)
        updated_before = loader.counts["updated"]
        page = loader.page(library, ResourcePage, item["slug"], fields, children, key=item["key"])
        override_translated_documents(loader, page, item)
        if (
            item["key"] in loader.library_seeds_created
            and loader.counts["updated"] > updated_before
        ):
            # Finishing a page created earlier in this run: already counted as created.
            loader.counts["updated"] -= 1
    # The generated resources have no revision: their rows are their only version.
    generated = {item["slug"]: item for item in generated_resources()}
    pages = list(library.get_children().filter(slug__in=generated).specific())
    linked = set(
        ResourceProgrammeLink.objects.filter(resource__in=pages).values_list(
            "resource_id", flat=True
        )
    )
    ResourceProgrammeLink.objects.bulk_create(
        ResourceProgrammeLink(resource=page, programme=programmes[slug], sort_order=number)
        for page in pages
        if page.pk not in linked
        for number, slug in enumerate(generated[page.slug]["programmes"])
    )
    index.index_resources(ResourcePage.objects.filter(locale=english).live())


def override_translated_documents(loader, page, item):
    """A document row's `translations` ({language code: document key}): the document the row
    offers on the page's translation into that language (ngo_site.demo.translate)."""
    rows = ResourceDocument.objects.filter(resource=page).order_by("sort_order")
    for row, wanted in zip(rows, item.get("documents", []), strict=True):
        translations = wanted.get("translations", {}) if isinstance(wanted, dict) else {}
        for language_code, key in translations.items():
            path = f"documents.{row.translation_key}.document"
            loader.override_in_translation(page, language_code, path, loader.documents[key].pk)
