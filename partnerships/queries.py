"""The queries behind the partnerships blocks and pages, kept out of templates.

Snippets are shown in the visitor's language: the translation in the active locale when there is
one, the default language's original otherwise (wagtail's `.localized`, for lists
ngo_site.localisation's `prefer_locale` and `localized`).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.fields import StreamField

from ngo_site.localisation import active_locale, default_locale, localized, prefer_locale

from .blocks import FAQBlock
from .choices import FUNDER_TYPE_HEADINGS, FunderType
from .models import FAQGroup, FAQQuestion, Funder, PartnershipsPage

# --- Funders ----------------------------------------------------------------------------------


@dataclass
class FunderGroup:
    funder_type: str
    heading: str
    funders: list = field(default_factory=list)


def localized_funders(funder_types=None):
    """Every funder once, in the visitor's language when translated, in the editors' order.

    The order is the default language's: translations are copies made when they were created,
    so their own sort_order would lag behind editors' later reordering."""
    active, default = active_locale(), default_locale()
    funders = (
        Funder.objects.filter(locale__in={active.pk, default.pk})
        .select_related("logo")
        .prefetch_related("logo__renditions")
    )
    if funder_types:
        funders = funders.filter(funder_type__in=funder_types)
    funders = list(funders)
    order = {
        funder.translation_key: (funder.sort_order or 0, funder.pk)
        for funder in funders
        if funder.locale_id == default.pk
    }
    chosen = prefer_locale(funders, active)
    return sorted(
        chosen.values(),
        key=lambda funder: order.get(funder.translation_key, (funder.sort_order or 0, funder.pk)),
    )


def funders_by_type(funder_types=None):
    """Funders grouped by type, groups in a fixed order, empty groups left out."""
    groups = {
        funder_type: FunderGroup(funder_type, heading)
        for funder_type, heading in FUNDER_TYPE_HEADINGS.items()
    }
    for funder in localized_funders(funder_types):
        groups[FunderType(funder.funder_type)].funders.append(funder)
    return [group for group in groups.values() if group.funders]


# --- FAQ --------------------------------------------------------------------------------------


@dataclass
class LocalizedFAQ:
    group: FAQGroup
    questions: list
    # The group the block points at (the page's language's original, or an older translation).
    source_pk: int | None = None


def _questions():
    return Prefetch("questions", queryset=FAQQuestion.objects.order_by("sort_order", "pk"))


def _with_questions(queryset):
    return queryset.prefetch_related(_questions())


def localized_faqs(groups):
    """FAQ groups in the visitor's language, each with its questions: at most three queries
    whatever the number of groups (the translations and their questions, then the questions of
    the groups kept as they are), one when every group already is in the visitor's language."""
    groups = [group for group in groups if group is not None]
    if not groups:
        return []
    chosen = localized(groups, active_locale(), _with_questions(FAQGroup.objects.all()))
    # The groups kept (already in the active language, or not translated into it) get their
    # questions in one more query; the translations came with theirs.
    kept = [group for group, source in zip(chosen, groups, strict=True) if group is source]
    prefetch_related_objects(kept, _questions())
    return [
        LocalizedFAQ(group, list(group.questions.all()), source_pk=source.pk)
        for group, source in zip(chosen, groups, strict=True)
    ]


def faq_groups_on_page(page):
    """The FAQ groups placed on a page with FAQ blocks, in the order of its stream fields.

    Only top-level blocks are looked at: that is where the body block offers the FAQ block."""
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    groups = []
    for model_field in type(page)._meta.get_fields():
        if not isinstance(model_field, StreamField):
            continue
        for child in getattr(page, model_field.name) or []:
            if isinstance(child.block, FAQBlock) and child.value.get("faq") is not None:
                groups.append(child.value["faq"])
    return groups


# --- Links ------------------------------------------------------------------------------------


def partnerships_page_link(request):
    """The live partnerships page in the visitor's language (or the default language)."""
    active, default = active_locale(), default_locale()
    pages = {
        page.locale_id: page
        for page in PartnershipsPage.objects.live()
        .public()
        .filter(locale__in={active.pk, default.pk})
        .only("id", "title", "url_path", "path", "depth", "locale_id")
    }
    page = pages.get(active.pk) or pages.get(default.pk)
    if page is None:
        return None
    return {"url": page.get_url(request), "title": page.title}
