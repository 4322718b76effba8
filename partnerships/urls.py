"""Public URLs of the partnerships app, included in ngo_site.urls inside i18n_patterns (so they
live under /en/..., /fr/...) before Wagtail's page catch-all.

The paths are translatable (French ones come from the app's French catalogue), e.g.
/fr/lettre-d-information/; Django's translate_url() finds the other language's address.
"""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

urlpatterns = [
    path(pgettext_lazy("URL path", "contact/"), views.contact_view, name="contact"),
    path(
        pgettext_lazy("URL path", "contact/thank-you/"),
        views.contact_thanks_view,
        name="contact_thanks",
    ),
    path(
        pgettext_lazy("URL path", "newsletter/"),
        views.newsletter_signup_view,
        name="newsletter_signup",
    ),
    path(
        pgettext_lazy("URL path", "newsletter/check-your-inbox/"),
        views.newsletter_check_inbox_view,
        name="newsletter_check_inbox",
    ),
    path(
        pgettext_lazy("URL path", "newsletter/confirm/<str:token>/"),
        views.newsletter_confirm_view,
        name="newsletter_confirm",
    ),
    path(
        pgettext_lazy("URL path", "newsletter/unsubscribe/<str:token>/"),
        views.newsletter_unsubscribe_view,
        name="newsletter_unsubscribe",
    ),
]
