"""Issue 27: machine translation only through a real service configured by settings (DeepL or
LibreTranslate); without one, no machine-translation button anywhere; wagtail-localize's dummy
translator only in the test suite."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.localisation.test_translation_queue_actions import (  # noqa: F401 (fixtures)
    QUEUE,
    admin_client,
    french_home,
    submit_translation,
)
from tests.site.factories import StandardPageFactory
from tests.site.test_settings_env import run_python

READ_TRANSLATOR = """
import json
from django.conf import settings
print(json.dumps(getattr(settings, "WAGTAILLOCALIZE_MACHINE_TRANSLATOR", None)))
"""

QUEUE_BULK_ACTIONS = """
import django
django.setup()
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
actions = bulk_action_registry.get_bulk_actions_for_model("translation_queue", "queueentry")
print(sorted(action.action_type for action in actions))
"""

SERVICES = {
    "none": ({}, None),
    "deepl": (
        {"DEEPL_API_KEY": "key:fx"},
        "wagtail_localize.machine_translators.deepl.DeepLTranslator",
    ),
    "libretranslate": (
        {"LIBRETRANSLATE_URL": "http://translate.internal:5000/", "LIBRETRANSLATE_API_KEY": ""},
        "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
    ),
}


@pytest.mark.parametrize("module", ["ngo_site.settings.dev", "ngo_site.settings.production"])
@pytest.mark.parametrize("service", SERVICES)
def test_the_translator_is_the_configured_service_or_none(module, service):
    variables, expected_class = SERVICES[service]
    result = run_python(
        READ_TRANSLATOR,
        module=module,
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="example.org",
        **variables,
    )
    assert result.returncode == 0, result.stderr
    translator = json.loads(result.stdout)
    assert (translator or {}).get("CLASS") == expected_class
    if service == "libretranslate":
        assert translator["OPTIONS"]["LIBRETRANSLATE_URL"] == "http://translate.internal:5000"


def test_without_a_service_the_queue_offers_no_machine_translation():
    result = run_python(
        QUEUE_BULK_ACTIONS,
        module="ngo_site.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stderr
    actions = result.stdout.strip()
    assert "'claim'" in actions and "'export_po'" in actions
    assert "machine_translate" not in actions


@pytest.mark.django_db
def test_without_a_service_neither_the_queue_row_nor_the_editor_shows_the_button(
    admin_client,  # noqa: F811
    home_page,
    french_home,  # noqa: F811
    french,
):
    page = StandardPageFactory(parent=home_page, title="Street vendors")
    translation = submit_translation(admin_client, page, french)
    machine_url = f"/admin/localize/translate/{translation.pk}/machine_translate/"
    french_page = translation.get_target_instance()
    editor_url = reverse("wagtailadmin_pages:edit", args=[french_page.pk])
    assert machine_url in admin_client.get(QUEUE).content.decode()
    assert machine_url in admin_client.get(editor_url, follow=True).content.decode()

    with override_settings(WAGTAILLOCALIZE_MACHINE_TRANSLATOR=None):
        assert machine_url not in admin_client.get(QUEUE).content.decode()
        editor = admin_client.get(editor_url, follow=True)
        assert editor.status_code == 200
        assert machine_url not in editor.content.decode()
