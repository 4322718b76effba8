"""The contact form and the newsletter's sign-up, confirmation and unsubscribe pages.

Every form page works without JavaScript: it is an ordinary POST, answered by a redirect when
accepted (so reloading does not send it twice) or by the same page with the errors, and the
visitor's input, when not. None of these pages may be cached: they carry a CSRF token or a
personal link.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import contact, newsletter, queries, spam
from .forms import STARTED_FIELD, ContactForm, NewsletterSignupForm

CONTACT_SCOPE = "contact"
NEWSLETTER_SCOPE = "newsletter"


def _submit(request, form, scope):
    """Run the checks on a posted form. Returns the HTTP status to answer with when the form
    must be shown again (rate limited, spam, sent before or invalid), or None when it can be
    accepted."""
    if spam.is_rate_limited(request, scope):
        return _refuse_rate_limited(form)
    verdict = form.spam_verdict()
    if verdict is spam.TOO_FAST and not form.is_valid():
        # Sent at once with fields empty or wrong (a click on "Send" before filling it in): what
        # went wrong is in the fields, and the form says so field by field. Nothing is stored
        # either way; a form filled in that fast is still refused below.
        return 200
    if verdict is not None:
        spam.count_submission(request, scope)
        form.refuse(verdict)
        return 400
    if not form.is_valid():
        return 200
    if not spam.count_submission(request, scope):  # another worker took the last place
        return _refuse_rate_limited(form)
    if not spam.spend_started_token(form.data.get(STARTED_FIELD)):
        form.refuse(spam.ALREADY_SENT)
        return 400
    return None


def _refuse_rate_limited(form):
    form.refuse(spam.Verdict("rate_limited", spam.rate_limit_message()))
    return 429


@never_cache
@require_http_methods(["GET", "POST"])
def contact_view(request):
    if request.method == "POST":
        form = ContactForm(request.POST)
        status = _submit(request, form, CONTACT_SCOPE)
        if status is None:
            contact.record_message(request, form.cleaned_data)
            return redirect("contact_thanks")
    else:
        form, status = ContactForm(), 200
    context = {"form": form, "faq_link": queries.partnerships_page_link(request)}
    return render(request, "partnerships/contact.html", context, status=status)


def contact_thanks_view(request):
    return render(request, "partnerships/contact_thanks.html")


@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_signup_view(request):
    if request.method == "POST":
        form = NewsletterSignupForm(request.POST)
        status = _submit(request, form, NEWSLETTER_SCOPE)
        if status is None:
            data = form.cleaned_data
            newsletter.sign_up(request, data["email"], data["name"], data["language"])
            return redirect("newsletter_check_inbox")
    else:
        form, status = NewsletterSignupForm(initial=_initial_from_call_to_action(request)), 200
    return render(request, "partnerships/newsletter_signup.html", {"form": form}, status=status)


def _initial_from_call_to_action(request):
    """The newsletter call to action on content pages is a GET form that brings the address
    (and the time the visitor first saw a form) here, where the subscription is sent."""
    initial = {"email": request.GET.get("email", "").strip()[:254]}
    language = get_language()
    if language in dict(settings.LANGUAGES):
        initial["language"] = language
    started = request.GET.get(STARTED_FIELD, "")
    if spam.check_started_token(started) in (None, spam.TOO_FAST):
        # The same start time in a token of this page's own: the call to action may sit on a
        # cached page, whose token every visitor shares, and a token is accepted only once.
        initial[STARTED_FIELD] = spam.new_started_token(now=spam.started_time(started))
    return initial


def newsletter_check_inbox_view(request):
    return render(request, "partnerships/newsletter_check_inbox.html")


@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_confirm_view(request, token):
    """GET shows a button; only the POST confirms. Mail scanners that open every link in an
    email would otherwise confirm subscriptions nobody asked for."""
    try:
        subscriber = newsletter.subscriber_from_confirmation_token(token)
    except newsletter.InvalidToken:
        return render(
            request,
            "partnerships/newsletter_link_invalid.html",
            {"signup_url": reverse("newsletter_signup")},
            status=400,
        )
    if request.method == "POST":
        newsletter.confirm(request, subscriber)
        return render(request, "partnerships/newsletter_confirmed.html")
    return render(
        request, "partnerships/newsletter_confirm.html", {"subscriber": subscriber, "token": token}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_unsubscribe_view(request, token):
    try:
        subscriber = newsletter.subscriber_from_unsubscribe_token(token)
    except newsletter.InvalidToken:
        return render(
            request,
            "partnerships/newsletter_link_invalid.html",
            {"signup_url": None},
            status=400,
        )
    if request.method == "POST":
        newsletter.unsubscribe(subscriber)
        return render(request, "partnerships/newsletter_unsubscribed.html")
    return render(
        request,
        "partnerships/newsletter_unsubscribe.html",
        {"subscriber": subscriber, "token": token},
    )
