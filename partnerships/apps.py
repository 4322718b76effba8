from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")
    default_auto_field = "django.db.models.BigAutoField"
    # Blocks added to the shared body of every page (ngo_site.blocks.registered_body_blocks).
    body_blocks = "partnerships.blocks.body_blocks"

    def ready(self):
        from . import signals  # noqa: F401  (the site search follows FAQ changes)
