from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationQueueConfig(AppConfig):
    """The translators' queue (docs/localisation.md): its own app under `site/`, label
    `translation_queue`; its tables were the `ngo_site` app's until migration
    translation_queue 0001 took them over."""

    name = "ngo_site.translation_queue"
    label = "translation_queue"
    verbose_name = _("Translation queue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
