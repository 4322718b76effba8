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
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from wagtail.models import Locale

    settings.LANGUAGES = [*settings.LANGUAGES, ("es", "Spanish")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    call_command("migrate", verbosity=0)  # what a deployment runs
    assert Locale.objects.filter(language_code="es").exists()

    client.force_login(get_user_model().objects.create_superuser("ana", "a@example.org", "pw"))
    queue = client.get("/admin/translation-queue/?locale=es").content.decode()
    assert f'data-queue-row="{home_page.translation_key}:' in queue
    assert "Spanish" in queue or "español" in queue


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
    assert 'hreflang="fr" href="http://localhost/fr/vendeurs/"' in head
    assert 'href="/fr/vendeurs/" hreflang="fr"' in body

    Page.objects.get(pk=french_page.pk).unpublish()
    again = client.get("/en/vendors/").content.decode()
    assert "/fr/vendeurs/" not in again
