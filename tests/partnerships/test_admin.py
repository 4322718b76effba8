"""The admin: read-only submissions with CSV export for editors, and the snippets' listings."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission, User

from partnerships.models import ContactSubmission, SubscriptionStatus
from tests.partnerships.factories import (
    ContactSubmissionFactory,
    FAQGroupFactory,
    FunderFactory,
    FundingPolicyFactory,
    NewsletterSubscriberFactory,
)

pytestmark = pytest.mark.django_db

CONTACT_EXPORT = "/admin/contact-messages/?export=csv"
SUBSCRIBERS_EXPORT = "/admin/newsletter-subscribers/?export=csv"


@pytest.fixture
def editor(db):
    """A member of Wagtail's Editors group (renamed Communications editors by ngo_site.0003),
    with what the migrations give that group."""
    user = User.objects.create_user("editor", "editor@example.org", "pass-word-123")
    user.groups.add(Group.objects.get(name="Communications editors"))
    return user


def csv_rows(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_editor_exports_contact_messages_as_csv(client, editor):
    ContactSubmissionFactory(name="Amina Diallo", email="amina@example.org", topic="media")
    ContactSubmissionFactory(name="Spreadsheet Trick", message='=HYPERLINK("http://x")')
    client.force_login(editor)

    rows = csv_rows(client.get(CONTACT_EXPORT))

    header, *records = rows
    assert header == [
        "Sent",
        "Name",
        "Email address",
        "Organisation",
        "Topic",
        "Language",
        "Message",
    ]
    by_name = {record[1]: record for record in records}
    assert by_name["Amina Diallo"][2] == "amina@example.org"
    assert by_name["Amina Diallo"][4] == "A media enquiry"
    # A cell a spreadsheet would run as a formula is defused.
    assert by_name["Spreadsheet Trick"][6] == '\'=HYPERLINK("http://x")'


def test_editor_exports_subscribers_as_csv(client, editor):
    NewsletterSubscriberFactory(email="a@example.org", status=SubscriptionStatus.CONFIRMED)
    NewsletterSubscriberFactory(email="b@example.org")
    client.force_login(editor)

    rows = csv_rows(client.get(SUBSCRIBERS_EXPORT))

    assert rows[0][:4] == ["Email address", "Name", "Language", "Status"]
    statuses = {row[0]: row[3] for row in rows[1:]}
    assert statuses == {"a@example.org": "Subscribed", "b@example.org": "Waiting for confirmation"}


def test_filtered_export_contains_only_the_filtered_rows(client, editor):
    ContactSubmissionFactory(topic="media", name="From the press")
    ContactSubmissionFactory(topic="event", name="Event organiser")
    client.force_login(editor)

    rows = csv_rows(client.get(CONTACT_EXPORT + "&topic=event"))

    assert [row[1] for row in rows[1:]] == ["Event organiser"]


@pytest.mark.parametrize("url", [CONTACT_EXPORT, SUBSCRIBERS_EXPORT])
def test_anonymous_visitors_get_no_export(client, url):
    ContactSubmissionFactory()
    NewsletterSubscriberFactory()

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_users_without_the_permission_get_no_export(client, db):
    ContactSubmissionFactory()
    user = User.objects.create_user("someone", "someone@example.org", "pass-word-123")
    # Into the admin, but with no permission on submissions.
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.get(CONTACT_EXPORT)

    assert response.status_code in (302, 403)
    assert not response.get("Content-Type", "").startswith("text/csv")


def test_submissions_are_read_only_even_for_a_superuser(client, db):
    submission = ContactSubmissionFactory(name="Amina Diallo")
    admin = User.objects.create_superuser("admin", "admin@example.org", "pass-word-123")
    client.force_login(admin)

    listing = client.get("/admin/contact-messages/")
    inspect = client.get(f"/admin/contact-messages/inspect/{submission.pk}/")
    add = client.get("/admin/contact-messages/new/")
    edit = client.post(f"/admin/contact-messages/edit/{submission.pk}/", {"name": "Changed"})

    assert listing.status_code == 200 and "Amina Diallo" in listing.content.decode()
    assert inspect.status_code == 200
    assert "/admin/contact-messages/new/" not in listing.content.decode()
    assert add.status_code in (302, 403) and edit.status_code in (302, 403)
    submission.refresh_from_db()
    assert submission.name == "Amina Diallo"
    assert ContactSubmission.objects.count() == 1


def test_editor_manages_the_partnerships_snippets(client, editor, english):
    FunderFactory(name="Harbour Foundation")
    FundingPolicyFactory()
    FAQGroupFactory(title="Partnership questions")
    client.force_login(editor)

    funders = client.get("/admin/snippets/partnerships/funder/")
    faqs = client.get("/admin/snippets/partnerships/faqgroup/")
    policies = client.get("/admin/snippets/partnerships/fundingpolicy/")
    search = client.get("/admin/snippets/partnerships/funder/?q=harbour")
    filtered = client.get("/admin/snippets/partnerships/funder/?funder_type=government")

    assert funders.status_code == faqs.status_code == policies.status_code == 200
    assert "Harbour Foundation" in funders.content.decode()
    assert "Partnership questions" in faqs.content.decode()
    assert "Harbour Foundation" in search.content.decode()
    assert "Harbour Foundation" not in filtered.content.decode()
    assert client.get("/admin/snippets/partnerships/funder/add/").status_code == 200
