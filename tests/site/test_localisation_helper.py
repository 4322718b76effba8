"""ngo_site.localisation: the one rule "in the visitor's language when translated, else as found"
(`prefer_locale`, `localized`, `untranslated`), in a fixed number of queries."""

from operator import itemgetter

import pytest
from django.utils import translation
from wagtail.models import Page

from ngo_site.localisation import (
    localized,
    localized_page,
    prefer_locale,
    untranslated,
)
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def publish_translation(page, locale, **fields):
    translated = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


@pytest.fixture
def pages(home_page, french):
    """Three English pages: the first translated and live in French, the second translated but
    the translation unpublished, the third not translated."""
    english = [StandardPageFactory(parent=home_page, title=f"Page {n}") for n in range(3)]
    french_first = publish_translation(english[0], french, title="Page zéro")
    french_second = publish_translation(english[1], french, title="Page un")
    french_second.unpublish()
    return english, french_first


def test_prefer_locale_keeps_one_row_per_key_in_the_order_read(english, french):
    rows = [("a", english.pk, "A"), ("b", english.pk, "B"), ("a", french.pk, "A fr")]
    chosen = prefer_locale(rows, french, key=itemgetter(0), locale_of=itemgetter(1))
    assert list(chosen) == ["a", "b"]
    assert [row[2] for row in chosen.values()] == ["A fr", "B"]
    # A locale id, a Locale or a language code with a `locale_of` giving codes.
    assert (
        prefer_locale(rows, english.pk, key=itemgetter(0), locale_of=itemgetter(1))["a"][2] == "A"
    )
    by_code = prefer_locale(
        rows, "fr", key=itemgetter(0), locale_of=lambda row: "fr" if row[1] == french.pk else "en"
    )
    assert by_code["a"][2] == "A fr"


def test_prefer_locale_reads_the_active_locale_by_default(pages, french):
    english, french_first = pages
    rows = list(Page.objects.filter(translation_key=english[0].translation_key).order_by("pk"))
    with translation.override("fr"):
        assert prefer_locale(rows)[english[0].translation_key].pk == french_first.pk
    with translation.override("en"):
        assert prefer_locale(rows)[english[0].translation_key].pk == english[0].pk


def test_localized_replaces_translated_objects_in_one_query(
    pages, french, django_assert_num_queries
):
    english, french_first = pages
    objects = [english[0], english[1], english[2], english[0]]
    with django_assert_num_queries(1):
        result = localized(objects, french, Page.objects.live())
    # Same length and order; an unpublished translation is not used; repeats stay.
    assert [page.pk for page in result] == [
        french_first.pk,
        english[1].pk,
        english[2].pk,
        french_first.pk,
    ]
    assert result[1] is english[1]


def test_localized_by_default_takes_live_pages_of_the_active_locale(
    pages, django_assert_num_queries
):
    english, french_first = pages
    with translation.override("fr"):
        result = localized(english)
    assert [page.pk for page in result] == [french_first.pk, english[1].pk, english[2].pk]


def test_localized_makes_no_query_when_everything_is_in_the_locale(
    pages, english, django_assert_num_queries
):
    objects, _french_first = pages
    with django_assert_num_queries(0):
        assert localized(objects, english, Page.objects.live()) == objects
    with django_assert_num_queries(0):
        assert localized([], english) == []


def test_localized_query_count_does_not_grow_with_the_list(
    home_page, french, django_assert_num_queries
):
    many = [StandardPageFactory(parent=home_page, title=f"Many {n}") for n in range(12)]
    for page in many[:6]:
        publish_translation(page, french)
    with django_assert_num_queries(1):
        result = localized(many, french, Page.objects.live())
    assert [page.locale_id for page in result] == [french.pk] * 6 + [many[0].locale_id] * 6


def test_untranslated_is_one_subquery(pages, english, french, django_assert_num_queries):
    objects, _french_first = pages
    originals = untranslated(Page.objects.filter(pk__in=[page.pk for page in objects]), french)
    with django_assert_num_queries(1):
        # The second page's translation is not live: its original is listed.
        assert set(originals.values_list("pk", flat=True)) == {objects[1].pk, objects[2].pk}


def test_localized_page_outside_a_request(pages):
    english, french_first = pages
    with translation.override("fr"):
        assert localized_page(english[0]).pk == french_first.pk
        assert localized_page(english[2]) is english[2]
        assert localized_page(french_first) is french_first
