"""The public forms: contact and newsletter sign-up.

Both carry the spam checks of partnerships/spam.py. Django (5.2) already marks fields with
errors `aria-invalid` and points `aria-describedby` at `<id>_helptext` and `<id>_error`; the
templates give the help text and the error message those ids
(partnerships/includes/form_field.html).
"""

from django import forms
from django.conf import settings
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from . import spam
from .models import ContactTopic

HONEYPOT_FIELD = "company_website"
# The models' EmailField length (Django's form field would accept 320 characters).
EMAIL_MAX_LENGTH = 254
STARTED_FIELD = "started"


class SpamResistantForm(forms.Form):
    # The honeypot. Its name is not one browsers autofill, so people's browsers leave it empty;
    # its label tells anyone who reaches it anyway what to do.
    company_website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(STARTED_FIELD, spam.new_started_token())

    @property
    def visible_fields_for_visitors(self):
        """The fields a person fills in (not the honeypot, not the hidden start time)."""
        return [self[name] for name in self.fields if name not in (HONEYPOT_FIELD, STARTED_FIELD)]

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]

    def spam_verdict(self):
        """Why this submission looks automated (a spam.Verdict), or None."""
        if self.data.get(HONEYPOT_FIELD, "").strip():
            return spam.HONEYPOT
        return spam.check_started_token(self.data.get(STARTED_FIELD))

    def refuse(self, verdict):
        """Prepare the form to be shown again after `verdict`: the message at the top, the
        visitor's input kept, the honeypot emptied and, if needed, a new start time."""
        self.add_error(None, verdict.message)
        self.data = self.data.copy()
        self.data[HONEYPOT_FIELD] = ""
        if verdict.renew_token:
            self.data[STARTED_FIELD] = spam.new_started_token()


class ContactForm(SpamResistantForm):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("We use it only to answer you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Your organisation (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    topic = forms.ChoiceField(
        label=_("What is your message about?"),
        choices=[("", _("Choose a topic")), *ContactTopic.choices],
        error_messages={"required": _("Choose what your message is about.")},
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        help_text=_("Up to 5,000 characters."),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write your message.")},
    )

    field_order = ["name", "email", "organisation", "topic", "message"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("Enter your name.")
        self.fields["email"].error_messages.update(
            {
                "required": _("Enter your email address, so that we can answer you."),
                "invalid": _("Enter an email address like name@example.org."),
            }
        )


class NewsletterSignupForm(SpamResistantForm):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("We will send you a link to confirm your subscription."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(label=_("Newsletter language"), choices=settings.LANGUAGES)

    field_order = ["email", "name", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language in its own name, as people look for theirs.
        self.fields["language"].choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]
        if not self.is_bound:
            self.initial.setdefault("language", get_language())

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


def normalise_email(address):
    """Strip spaces and lower-case the domain (the part before @ may be case-sensitive)."""
    local, _at, domain = address.strip().rpartition("@")
    return f"{local}@{domain.lower()}"
