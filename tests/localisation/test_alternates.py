"""Language discovery: `/` by Accept-Language, the switcher, hreflang alternates, html lang and
the per-language sitemaps."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "prefix"),
    [("fr-FR,fr;q=0.9,en;q=0.5", "/fr/"), ("en-GB,en;q=0.8", "/en/"), ("de-DE", "/en/")],
)
def test_root_redirects_by_the_browsers_language(client, home_page, accept_language, prefix):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == prefix


def test_adding_spanish_is_a_settings_change(client, home_page, settings):
    """Spanish added to the settings, `migrate` run (what a deployment does): the Spanish home
    is translated through wagtail-localize, and then the site, the switcher, hreflang, the
    sitemap, the queue and the translators' permissions cover Spanish with no other step."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from wagtail.models import Locale, Page
    from wagtail_localize.models import Translation

    from ngo_site import roles

    settings.LANGUAGES = [*settings.LANGUAGES, ("es", "Spanish")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    call_command("migrate", verbosity=0)  # what a deployment runs
    spanish = Locale.objects.get(language_code="es")

    admin = get_user_model().objects.create_superuser("ana", "a@example.org", "pw")
    client.force_login(admin)
    queue = client.get("/admin/translation-queue/?locale=es").content.decode()
    assert f'data-queue-row="{home_page.translation_key}:{spanish.pk}"' in queue
    assert "Spanish" in queue or "español" in queue

    response = client.post(
        f"/admin/localize/submit/page/{home_page.pk}/", {"locales": [spanish.pk]}
    )
    assert response.status_code == 302
    translation = Translation.objects.get(
        source__object_id=home_page.translation_key, target_locale=spanish
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = "ES " + entry.msgid
    translation.import_po(po)
    translation.save_target(publish=False)
    spanish_home = Page.objects.get(translation_key=home_page.translation_key, locale=spanish)
    spanish_home.specific.get_latest_revision().publish()
    client.logout()

    assert client.get("/es/").status_code == 200
    english = client.get("/en/").content.decode()
    head, body = english.split("</head>")
    assert 'hreflang="es" href="http://testserver/es/"' in head
    assert 'href="/es/" hreflang="es"' in body
    sitemap = client.get("/sitemap-es.xml")
    assert sitemap.status_code == 200
    assert "http://testserver/es/" in sitemap.content.decode()
    assert "sitemap-es.xml" in client.get("/sitemap.xml").content.decode()

    # A member of the Translators group edits the Spanish home, not the English one.
    translator = get_user_model().objects.create_user("tomas", "t@example.org", "pw")
    translator.groups.add(Group.objects.get(name=roles.TRANSLATORS))
    client.force_login(translator)
    assert client.get(f"/admin/pages/{spanish_home.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{home_page.pk}/edit/").status_code == 302


def test_a_translation_published_later_appears_in_the_switcher_and_alternates(
    client, home_page, french
):
    """The translations of a page are kept in the cache between requests
    (ngo_site.navigation.live_translations): publishing one must show at once."""
    from wagtail.models import Page

    from tests.site.factories import StandardPageFactory

    french_home = home_page.copy_for_translation(french)
    french_home.save_revision().publish()
    english = StandardPageFactory(parent=home_page, title="Street vendors", slug="vendors")
    for _attempt in range(2):
        before = client.get("/en/vendors/").content.decode()
    assert 'hreflang="fr"' not in before.split("</head>")[0]

    french_page = english.copy_for_translation(french)
    french_page.title = "Vendeurs de rue"
    french_page.slug = "vendeurs"
    french_page.save_revision().publish()

    after = client.get("/en/vendors/").content.decode()
    head, body = after.split("</head>")
    assert 'hreflang="fr" href="http://testserver/fr/vendeurs/"' in head
    assert 'href="/fr/vendeurs/" hreflang="fr"' in body

    Page.objects.get(pk=french_page.pk).unpublish()
    again = client.get("/en/vendors/").content.decode()
    assert "/fr/vendeurs/" not in again
