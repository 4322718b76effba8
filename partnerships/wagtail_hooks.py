"""Admin for the partnerships app.

- Snippets (menu "Partnerships"): funders (ordered by dragging in the listing), the funding
  policy and FAQs. They are translatable: the listing shows one language at a time.
- Form submissions (menu "Form submissions"): contact messages and newsletter subscribers,
  read-only, with CSV and Excel exports of the filtered listing. Seeing them needs the model's
  "view" permission (a migration gives it to the Editors and Moderators groups).
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, LocaleColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import ContactSubmission, FAQGroup, Funder, FundingPolicy, NewsletterSubscriber

# --- Snippets ---------------------------------------------------------------------------------


class FunderViewSet(SnippetViewSet):
    model = Funder
    icon = "group"
    menu_label = _("Funders")
    list_display = ["name", "funder_type", "since_year", "website", LocaleColumn()]
    list_filter = ["funder_type"]
    search_fields = ["name"]
    # Drag-and-drop ordering in the listing (Orderable's sort_order); the site follows it.
    sort_order_field = "sort_order"


class FundingPolicyViewSet(SnippetViewSet):
    model = FundingPolicy
    icon = "info-circle"
    menu_label = _("Funding policy")
    list_display = ["title", LocaleColumn()]
    search_fields = ["title", "body"]


class FAQIndexView(SnippetIndexView):
    def get_base_queryset(self):
        # The listing shows each group's number of questions: count them in the same query.
        # distinct: a search on the questions joins them a second time, which would multiply
        # the count by the number of matching questions.
        return (
            super().get_base_queryset().annotate(question_count=Count("questions", distinct=True))
        )


class FAQGroupViewSet(SnippetViewSet):
    model = FAQGroup
    icon = "help"
    menu_label = _("FAQs")
    index_view_class = FAQIndexView
    list_display = ["title", Column("question_count", label=_("Questions")), LocaleColumn()]
    search_fields = ["title", "questions__question"]


class PartnershipsSnippets(SnippetViewSetGroup):
    menu_label = _("Partnerships")
    menu_icon = "group"
    menu_order = 250
    items = (FunderViewSet, FundingPolicyViewSet, FAQGroupViewSet)


register_snippet(PartnershipsSnippets)


# --- Form submissions -------------------------------------------------------------------------

# Spreadsheet programs run a cell that starts with one of these as a formula, and visitors write
# what they like in the forms.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Submissions come from visitors: editors may read, export and delete them (e.g. when
    someone asks to be forgotten), never create or change them."""

    READ_ONLY_REFUSED = frozenset({"add", "change"})

    def user_has_permission(self, user, action):
        return action not in self.READ_ONLY_REFUSED and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [action for action in actions if action not in self.READ_ONLY_REFUSED]
        )


class SubmissionViewSet(ModelViewSet):
    inspect_view_enabled = True
    # Wagtail builds the add and edit views anyway; the permission policy refuses them.
    exclude_form_fields = []
    copy_view_enabled = False
    add_to_admin_menu = False

    @property
    def permission_policy(self):
        return ReadOnlyPermissionPolicy(self.model)

    def get_index_view_kwargs(self, **kwargs):
        # Every exported cell goes through defuse_formula (see FORMULA_PREFIXES).
        defused = {"csv": defuse_formula}
        return super().get_index_view_kwargs(
            custom_field_preprocess=dict.fromkeys(self.list_export, defused), **kwargs
        )


class ContactSubmissionViewSet(SubmissionViewSet):
    model = ContactSubmission
    name = "contact_messages"
    url_prefix = "contact-messages"
    icon = "mail"
    menu_label = _("Contact messages")
    list_display = ["name", "email", "topic", "language", "submitted_at"]
    list_filter = ["topic", "language", "submitted_at"]
    search_fields = ["name", "email", "organisation", "message"]
    list_export = [
        "submitted_at",
        "name",
        "email",
        "organisation",
        "get_topic_display",
        "language",
        "message",
    ]
    export_headings = {"get_topic_display": _("Topic")}
    export_filename = "contact-messages"
    inspect_view_fields = [
        "submitted_at",
        "name",
        "email",
        "organisation",
        "topic",
        "language",
        "message",
    ]


class NewsletterSubscriberViewSet(SubmissionViewSet):
    model = NewsletterSubscriber
    name = "newsletter_subscribers"
    url_prefix = "newsletter-subscribers"
    icon = "user"
    menu_label = _("Newsletter subscribers")
    list_display = ["email", "name", "language", "status", "signed_up_at", "confirmed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email", "name"]
    list_export = [
        "email",
        "name",
        "language",
        "get_status_display",
        "signed_up_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    export_headings = {"get_status_display": _("Status")}
    export_filename = "newsletter-subscribers"


class FormSubmissions(ModelViewSetGroup):
    menu_label = _("Form submissions")
    menu_icon = "form"
    menu_order = 260
    items = (ContactSubmissionViewSet, NewsletterSubscriberViewSet)


@hooks.register("register_admin_viewset")
def register_form_submissions():
    return FormSubmissions()


@hooks.register("ngo_site_visitor_urls")
def contact_and_newsletter_urls():
    """The contact and newsletter forms, under each language prefix (ngo_site.urls)."""
    from .urls import urlpatterns

    return urlpatterns
