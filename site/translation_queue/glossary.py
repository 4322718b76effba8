"""The translators' glossary in the admin (GlossaryTerm: "Glossary" in the admin menu) and its
seeding from the site's translated names.

Who: translators propose terms in the languages they translate into (ngo_site.roles
editable_languages); moderators and administrators approve them, and delete terms. Only
approved terms are shown in the translation editor (translation_queue.editor_help). English, the
source language, has no glossary; editors have none. Every view of the viewset asks the policy
about the term at hand (Wagtail's delete, history and usage views check the model only).

Seeding: a domain app marks a translatable model whose names belong in the glossary with
`translation_glossary = "<field>"` (the library's themes, regions and types: `name`; programme
pages: `title`). `seed_glossary()` adds, for each of their English rows translated into another
language, the English name and its translation as an approved term; it never changes a term
that exists (translators' edits stay). Run by `manage.py seed_glossary` and `load_demo`.
"""

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation as translation_override
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Locale, TranslatableMixin
from wagtail.permission_policies.base import BasePermissionPolicy

from ngo_site.roles import editable_languages, may_approve
from ngo_site.text import normalise

from .models import GlossaryTerm


def glossary_languages(user):
    """The target languages whose glossary the user may edit."""
    return editable_languages(user) - {settings.LANGUAGE_CODE}


class GlossaryPermissionPolicy(BasePermissionPolicy):
    """add / change / view: whoever may change a translation language; delete, and changing an
    approved term: those who approve (moderators, administrators)."""

    def user_has_permission(self, user, action):
        if not user.is_active or not user.is_authenticated:
            return False
        if action == "delete":
            return may_approve(user) and bool(glossary_languages(user))
        return action in ("add", "change", "view") and bool(glossary_languages(user))

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if instance.locale.language_code not in glossary_languages(user):
            return False
        if action == "change" and instance.status == GlossaryTerm.Status.APPROVED:
            return may_approve(user)
        return True

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return GlossaryTerm.objects.none()
        terms = GlossaryTerm.objects.filter(locale__language_code__in=glossary_languages(user))
        if action == "change" and not may_approve(user):
            terms = terms.exclude(status=GlossaryTerm.Status.APPROVED)
        return terms

    def instances_user_has_any_permission_for(self, user, actions):
        terms = GlossaryTerm.objects.none()
        for action in actions:
            terms |= self.instances_user_has_permission_for(user, action)
        return terms

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.none()


class GlossaryTermForm(WagtailAdminModelForm):
    class Meta:
        model = GlossaryTerm
        fields = ["source_term", "locale", "translation", "note", "status"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        languages = glossary_languages(for_user) if for_user else set()
        self.fields["locale"].queryset = Locale.objects.filter(language_code__in=languages)
        self.fields["locale"].label_from_instance = lambda locale: locale.get_display_name()
        self.approves = bool(for_user and may_approve(for_user))
        if not self.approves:
            self.fields["status"].help_text = _(
                "Translators propose terms; a moderator approves them."
            )

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == GlossaryTerm.Status.APPROVED and not self.approves:
            raise forms.ValidationError(_("Only moderators and administrators approve terms."))
        return status

    def clean(self):
        cleaned = super().clean()
        term, locale = cleaned.get("source_term"), cleaned.get("locale")
        if term and locale:
            folded = normalise(term)
            if not folded:
                self.add_error("source_term", _("Write a term with at least one letter or digit."))
            elif (
                GlossaryTerm.objects.filter(normalised_term=folded, locale=locale)
                .exclude(pk=self.instance.pk)
                .exists()
            ):
                self.add_error(
                    "source_term", _("This term is already in the glossary of this language.")
                )
        return cleaned


class GlossaryIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(locale__language_code__in=glossary_languages(self.request.user))
            .select_related("locale")
        )


class GlossaryCreateView(CreateView):
    pass


class GlossaryTermActionMixin:
    """Wagtail's edit and delete views check the model-wide permission only: the term's language
    too, through the policy's per-instance check for `term_action`."""

    term_action = None

    def get_object(self, queryset=None):
        term = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.term_action, term
        ):
            raise PermissionDenied
        return term


class GlossaryEditView(GlossaryTermActionMixin, EditView):
    term_action = "change"


class GlossaryDeleteView(GlossaryTermActionMixin, DeleteView):
    term_action = "delete"


class GlossaryTermsOfOwnLanguagesMixin:
    """History and usage of a term: of the languages whose glossary the user reads (else 404)."""

    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")


class GlossaryHistoryView(GlossaryTermsOfOwnLanguagesMixin, HistoryView):
    pass


class GlossaryUsageView(GlossaryTermsOfOwnLanguagesMixin, UsageView):
    pass


class GlossaryViewSet(ModelViewSet):
    model = GlossaryTerm
    permission_policy = GlossaryPermissionPolicy(GlossaryTerm)
    index_view_class = GlossaryIndexView
    add_view_class = GlossaryCreateView
    edit_view_class = GlossaryEditView
    delete_view_class = GlossaryDeleteView
    history_view_class = GlossaryHistoryView
    usage_view_class = GlossaryUsageView
    icon = "openquote"
    menu_label = gettext_lazy("Glossary")
    menu_order = 260
    add_to_admin_menu = True
    name = "glossary"
    search_fields = ["source_term", "translation", "normalised_term"]
    list_filter = ["locale", "status"]
    list_display = [
        "source_term",
        "translation",
        Column("locale", label=gettext_lazy("Language"), accessor="locale.get_display_name"),
        "status",
        "note",
    ]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return GlossaryTermForm

    inspect_view_enabled = False


# --- seeding from the site's translated names ------------------------------------------------


def glossary_source_models():
    return [
        model
        for model in apps.get_models()
        if getattr(model, "translation_glossary", None) and issubclass(model, TranslatableMixin)
    ]


def seed_glossary():
    """Add the names of the models marked `translation_glossary` and their translations as
    approved terms; returns the number of terms added. Existing terms are left as they are."""
    default = settings.LANGUAGE_CODE
    locales = {locale.pk: locale for locale in Locale.objects.all()}
    existing = set(GlossaryTerm.objects.values_list("normalised_term", "locale_id"))
    added = []
    for model in glossary_source_models():
        field = model.translation_glossary
        names = {}
        for key, locale_id, name in model.objects.values_list(
            "translation_key", "locale_id", field
        ):
            names.setdefault(key, {})[locale_id] = name
        for by_locale in names.values():
            english = next(
                (name for pk, name in by_locale.items() if locales[pk].language_code == default),
                None,
            )
            folded = normalise(english or "")
            if not folded:
                continue
            for locale_id, name in by_locale.items():
                locale = locales[locale_id]
                if locale.language_code == default or not name or (folded, locale_id) in existing:
                    continue
                existing.add((folded, locale_id))
                with translation_override.override(locale.language_code):
                    note = capfirst(str(model._meta.verbose_name))
                added.append(
                    GlossaryTerm(
                        source_term=english[:255],
                        locale=locale,
                        translation=name[:255],
                        note=note,
                        status=GlossaryTerm.Status.APPROVED,
                        normalised_term=folded,
                    )
                )
    GlossaryTerm.objects.bulk_create(added)
    return len(added)
