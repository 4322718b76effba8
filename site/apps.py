from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NgoSiteConfig(AppConfig):
    name = "ngo_site"
    label = "ngo_site"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"
