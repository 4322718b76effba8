from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .queries import STATUSES

SORTS = [
    ("title", _("Title")),
    ("status", _("Status")),
    ("-source_published_at", _("Source last published, newest first")),
    ("due_date", _("Due date, soonest first")),
    ("-words", _("Words to translate, most first")),
]


def reviewer_choices():
    """Users who approve translations: moderators and administrators (ngo_site.roles)."""
    from django.db.models import Q

    from ngo_site.roles import ADMINISTRATORS, MODERATORS

    users = (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=[MODERATORS, ADMINISTRATORS]) | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )
    return [(user.pk, user.get_full_name() or user.get_username()) for user in users]


def translator_choices():
    """Users who can be given translations: members of the "Translators" group (created by the
    editorial roles migration) and administrators."""
    from django.db.models import Q

    users = (
        get_user_model()
        .objects.filter(Q(groups__name="Translators") | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )
    return [(user.pk, user.get_full_name() or user.get_username()) for user in users]


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search titles"), required=False, max_length=200)
    locale = forms.ChoiceField(label=_("Language"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    content_type = forms.ChoiceField(label=_("Content type"), required=False)
    section = forms.ChoiceField(label=_("Programme"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args, locales, content_types, sections, users, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["locale"].choices = every + [
            (locale.language_code, locale.get_display_name()) for locale in locales
        ]
        self.fields["status"].choices = every + STATUSES
        self.fields["assignee"].choices = (
            every + [("me", _("Me")), ("none", _("Nobody"))] + [(str(pk), n) for pk, n in users]
        )
        self.fields["content_type"].choices = every + [
            (str(ct.pk), str(ct.model_class()._meta.verbose_name).capitalize())
            for ct in content_types
        ]
        self.fields["section"].choices = every + [(str(pk), title) for pk, title in sections]


class AssignForm(forms.Form):
    """Claim, assign or unassign one row of the queue, and set its due date."""

    translation_key = forms.UUIDField(widget=forms.HiddenInput)
    locale = forms.CharField(widget=forms.HiddenInput, max_length=20)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    reviewer = forms.ChoiceField(label=_("Reviewer"), required=False)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def __init__(self, *args, users, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody")), ("me", _("Me"))] + [
            (str(pk), n) for pk, n in users
        ]
        self.fields["reviewer"].choices = [("", _("Any moderator"))] + [
            (str(pk), n) for pk, n in reviewers
        ]
