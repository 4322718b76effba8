"""The site-wide moderation workflow: submit, request changes with a comment, approve, publish,
with the notifications sent through Django's email backend."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Page, WorkflowPage

from ngo_site import roles
from ngo_site.models import StandardPage

from .conftest import standard_page_form

pytestmark = pytest.mark.django_db


def submit_new_page(client, parent, slug="new-campaign"):
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("ngo_site", "standardpage", parent.pk)),
        standard_page_form("New campaign", slug, **{"action-submit": "Submit"}),
    )
    assert response.status_code == 302
    return StandardPage.objects.get(slug=slug)


def workflow_action(client, page, action, comment=""):
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    data = {"comment": comment} if comment else {}
    return client.post(url, data)


def test_the_whole_site_is_under_the_moderators_workflow(trees):
    assigned = WorkflowPage.objects.get(page=Page.get_first_root_node())
    task = assigned.workflow.tasks.get().specific
    assert {group.name for group in task.groups.all()} >= {roles.MODERATORS}
    assert trees["en_page"].get_workflow() == assigned.workflow
    assert trees["fr_page"].get_workflow() == assigned.workflow


def test_submission_notifies_the_moderators(trees, editor, moderator, client):
    client.force_login(editor)
    mail.outbox.clear()
    submit_new_page(client, trees["en_home"])
    recipients = {address for message in mail.outbox for address in message.to}
    assert moderator.email in recipients
    assert editor.email not in recipients


def test_moderator_requests_changes_with_a_comment_then_approves(trees, editor, moderator, client):
    client.force_login(editor)
    page = submit_new_page(client, trees["en_home"])
    client.force_login(moderator)
    mail.outbox.clear()
    response = workflow_action(client, page, "reject", comment="Please add the dates.")
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert not page.live
    assert not page.workflow_in_progress
    to_editor = [message for message in mail.outbox if editor.email in message.to]
    assert to_editor and "Please add the dates." in to_editor[0].body

    # The editor resubmits; the moderator approves, which publishes.
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        standard_page_form("New campaign, with dates", page.slug, **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.workflow_in_progress
    assert client.get("/en/new-campaign/").status_code == 404

    client.force_login(moderator)
    mail.outbox.clear()
    workflow_action(client, page, "approve")
    page.refresh_from_db()
    assert page.live
    assert page.title == "New campaign, with dates"
    assert any(editor.email in message.to for message in mail.outbox)
    client.logout()
    assert client.get("/en/new-campaign/").status_code == 200


def test_an_editor_cannot_approve_their_own_submission(trees, editor, client):
    client.force_login(editor)
    page = submit_new_page(client, trees["en_home"])
    workflow_action(client, page, "approve")
    page.refresh_from_db()
    assert not page.live
    assert page.workflow_in_progress
