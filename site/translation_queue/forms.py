from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


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
