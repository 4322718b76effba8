from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NgoSiteConfig(AppConfig):
    name = "ngo_site"
    label = "ngo_site"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_migrate, post_save

        from . import addresses, page_cache, roles, security

        checks.register(security.check_proxy_configured, checks.Tags.security, deploy=True)
        checks.register(addresses.check_site_url, deploy=True)

        # The caches of published content are emptied on content signals, in every process
        # that changes content (the admin, `publish_scheduled`, imports).
        page_cache.connect_signals()

        # The editorial roles' page permissions live on each locale's home page, which only
        # exists once content is loaded or translated (see ngo_site.roles).
        post_save.connect(roles.grant_on_new_locale_home, dispatch_uid="ngo_site_roles_home")
        post_migrate.connect(roles.apply_roles_after_migrate, dispatch_uid="ngo_site_roles")
        # The default Site record names SITE_URL's host and port (ngo_site.addresses).
        post_migrate.connect(
            addresses.site_record_follows_site_url, dispatch_uid="ngo_site_site_url"
        )
        # The renditions a page shows are made when it is published (ngo_site.prebuilt_renditions).
        from . import (
            prebuilt_renditions,
            private_files,  # noqa: F401  (registers its before_serve_document hook)
        )

        prebuilt_renditions.connect_signals()
