"""The French admin, as the translator, the moderator (who reviews) and the editor see it with
their admin language set to French (Wagtail's account setting): no English text of ours, nor of
Wagtail's, on the pages they visit.

The walk: every admin page without a parameter that answers the role with HTML (dashboard,
listings, reports, account settings, add forms of snippets...), then the explorer of each
language's home, the edit and add views of every page type, the edit view of every snippet
model, of an image and of a document, the translation queue with each of its status filters and
wagtail-localize's translation editor. On each page the visible text (no scripts or styles; the
labels of controls included) is checked for the English of our catalogues: every msgid whose
French differs, found whole (word boundaries, same case). Content is English where the content
is (the source segments in the translation editor, English page titles): a msgid that is also a
piece of the demo's content cannot be told apart and is left out.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail.snippets.models import get_snippet_models
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment

from ngo_site import roles
from ngo_site.translation_queue.glossary import GlossaryPermissionPolicy
from ngo_site.translation_queue.models import GlossaryTerm, SourceChange, TranslationJob
from tests.conftest import SHARED_DEMO

pytestmark = SHARED_DEMO

ROOT = Path(settings.BASE_DIR)
CATALOGUES = [
    ROOT / "locale/fr/LC_MESSAGES/django.po",
    *sorted(ROOT.glob("*/locale/fr/LC_MESSAGES/django.po")),
]
# Wagtail's own strings, which its French catalogue translates: their English on a French
# page means a template or a form of ours bypassed the translation.
WAGTAIL_ENGLISH = ("Choose", "Add", "Save draft", "Publish", "Choose resource type", "Edit")
# English words that French uses too, or that our content and names use as is.
# ("item": Wagtail's French writes "Modifier cet item"; "comment", a model's verbose name in
# English, is also the French "how", as in Wagtail's "comment" help texts.)
SAME_IN_FRENCH = {"Type", "Email", "Date", "Documents", "Document", "Collection", "item", "comment"}
ENGLISH_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
# Dates written the English way: "Dec. 7, 2026", "7 December 2026", "4:05 p.m.".
ENGLISH_DATE = re.compile(
    r"\b(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}"
    rf"|\d{{1,2}} (?:{ENGLISH_MONTHS}) \d{{4}}"
    r"|\d{1,2}(?::\d{2})? ?[ap]\.m\.)"
)
QUEUE_STATUSES = ("", "untranslated", "in_progress", "outdated", "ready_for_review", "up_to_date")
# No parameter, but nothing a person visits: JSON, downloads, redirects, forms posted to.
# The password reset pages are for people who are not logged in: the browser's language.
SKIPPED_ROUTE_PARTS = (
    "/api/",
    "failwhale",
    "/password_reset/",
    "jsi18n",
    "/logout/",
    "export",
    "/results/",
    "/chooser/",
)


class VisibleText(HTMLParser):
    """The text a person reads on an HTML page, and the labels of its controls."""

    HIDDEN = {"script", "style", "textarea", "noscript"}
    LABEL_ATTRIBUTES = (
        "placeholder",
        "aria-label",
        "title",
        "alt",
        "data-label",
        "data-w-tooltip-content-value",
    )

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden_depth += 1
        attributes = dict(attrs)
        for name in self.LABEL_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth and data.strip():
            self.parts.append(data)


# Wagtail writes this screen-reader button in English in its templates (wagtailadmin/home.html,
# wagtailadmin/shared/header.html), without marking it for translation: nothing to translate.
WAGTAIL_UNMARKED = ('<input type="submit" value="Search" class="button" />',)
# Django labels a model field that has no verbose name with its name, in English, unmarked: the
# search promotion's `external_link_text` (wagtail.contrib.search_promotions). Nothing to
# translate; it holds "text", a msgid of ours.
WAGTAIL_UNMARKED_LABELS = ("External link text",)


def visible_text(html):
    for markup in WAGTAIL_UNMARKED:
        html = html.replace(markup, "")
    parser = VisibleText()
    parser.feed(html)
    parts = (" ".join(part.split()) for part in parser.parts)
    return "\n".join(part for part in parts if part not in WAGTAIL_UNMARKED_LABELS)


def has_placeholder(text):
    return bool(re.search(r"%(\(\w+\))?[sdif]|\{\w*\}", text))


def our_english():
    """The msgids of our French catalogues whose French reads differently."""
    found = set()
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "fuzzy" in entry.flags or entry.msgid_plural:
                continue
            english = entry.msgid
            if (
                entry.msgstr
                and entry.msgstr != english
                and len(english) >= 4
                and "\n" not in english
                and not has_placeholder(english)
                and english not in SAME_IN_FRENCH
            ):
                found.add(english)
    return found


def content_text():
    """What editors wrote, in English or in names French keeps: titles, segments, snippets."""
    parts = list(Page.objects.values_list("title", flat=True))
    parts += list(StringSegment.objects.values_list("string__data", flat=True))
    for model in get_snippet_models():
        parts += [str(instance) for instance in model.objects.all()]
    parts += list(get_image_model().objects.values_list("title", flat=True))
    parts += list(get_document_model().objects.values_list("title", flat=True))
    return "\n".join(parts)


def pattern_for(english):
    return re.compile(r"(?<![\w-])" + re.escape(english) + r"(?![\w-])")


def english_on(text, candidates):
    return sorted(english for english in candidates if pattern_for(english).search(text))


def parameterless_admin_urls():
    found = []

    def walk(resolver, route):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, route + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found.append(route + str(pattern.pattern))

    walk(get_resolver(), "")
    return sorted(
        "/" + route
        for route in set(found)
        if route.startswith("admin/")
        and "<" not in route
        and "(" not in route
        and "^" not in route
        and not any(part in "/" + route for part in SKIPPED_ROUTE_PARTS)
    )


def one_of_each_page_type(language):
    pages = {}
    for page in Page.objects.filter(locale__language_code=language, depth__gt=1).specific():
        pages.setdefault(type(page), page)
    return list(pages.values())


def pages_visited_by(user):
    """The admin pages the role works with, in its languages."""
    languages = roles.editable_languages(user)
    urls = parameterless_admin_urls()
    for home in Page.objects.filter(depth=2):
        urls.append(reverse("wagtailadmin_explore", args=[home.pk]))
    for language in sorted(languages):
        for page in one_of_each_page_type(language):
            urls.append(reverse("wagtailadmin_pages:edit", args=[page.pk]))
            urls.append(reverse("wagtailadmin_pages:history", args=[page.pk]))
            parent = page.get_parent()
            meta = page._meta
            urls.append(
                reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, parent.pk])
            )
        for model in get_snippet_models():
            instance = model.objects.filter(
                **({"locale__language_code": language} if hasattr(model, "locale") else {})
            ).first()
            if instance is not None:
                urls.append(reverse(model.snippet_viewset.get_url_name("edit"), args=[instance.pk]))
    for model in get_snippet_models():
        urls.append(reverse(model.snippet_viewset.get_url_name("list")))
    image = get_image_model().objects.first()
    document = get_document_model().objects.first()
    urls.append(reverse("wagtailimages:edit", args=[image.pk]))
    urls.append(reverse("wagtaildocs:edit", args=[document.pk]))
    for status in QUEUE_STATUSES:
        urls.append(reverse("translation_queue:index") + (f"?status={status}" if status else ""))
    # Pages with a parameter that the queue leads to: an item's changes, a glossary term, a job.
    for change in SourceChange.objects.all()[:1]:
        urls.append(reverse("translation_queue:changes", args=[change.translation_key]))
    for term in GlossaryPermissionPolicy(GlossaryTerm).instances_user_has_permission_for(
        user, "change"
    )[:1]:
        urls.append(reverse("glossary:edit", args=[term.pk]))
    for job in TranslationJob.objects.filter(target_locale__language_code__in=languages)[:1]:
        urls.append(reverse("translation_jobs:inspect", args=[job.pk]))
        urls.append(reverse("translation_jobs:edit", args=[job.pk]))
    return list(dict.fromkeys(urls))


@pytest.fixture
def french_speaking(make_user):
    def make(group_name):
        user = make_user(group_name, username=f"fr_{group_name.lower().replace(' ', '_')}")
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "fr"
        profile.save()
        return user

    return make


@pytest.mark.one_database
@pytest.mark.parametrize(
    "group_name, works_in_the_queue",
    [
        (roles.TRANSLATORS, True),
        (roles.MODERATORS, True),
        (roles.COMMUNICATIONS_EDITORS, False),
    ],
)
def test_the_french_admin_shows_no_english_of_ours(
    group_name, works_in_the_queue, french_speaking, client
):
    user = french_speaking(group_name)
    client.force_login(user)
    if works_in_the_queue:
        TranslationJob.objects.create(
            name="Lot de décembre",
            target_locale=Locale.objects.get(language_code="fr"),
            translator=user,
            created_by=user,
        )
        GlossaryTerm.objects.create(
            source_term="street market",
            translation="marché de rue",
            locale=Locale.objects.get(language_code="fr"),
            status=GlossaryTerm.Status.PROPOSED,
        )
    content = content_text()
    ours = {english for english in our_english() if not pattern_for(english).search(content)}
    wagtails = {english for english in WAGTAIL_ENGLISH if not pattern_for(english).search(content)}
    visited, english_found = [], []
    for url in pages_visited_by(user):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited.append(url)
        text = visible_text(response.content.decode())
        found = english_on(text, ours | wagtails) + ENGLISH_DATE.findall(text)
        if found:
            english_found.append(f"{url}: {found}")
    # The walk reached the pages the role works on.
    assert any("/translation-queue/" in url for url in visited) == works_in_the_queue
    if works_in_the_queue:
        for part in ("/translation-queue/changes/", "/glossary/edit/", "/translation-jobs/"):
            assert any(part in url for url in visited), part
    assert any("/edit/" in url and "/pages/" in url for url in visited)
    assert any("/snippets/" in url for url in visited)
    assert not english_found, "English on French admin pages:\n" + "\n".join(english_found)
