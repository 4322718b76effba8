"""A confirmation when a page in review is approved through Wagtail's workflow action view.

That view (`wagtailadmin_pages:workflow_action`, used by the queue's "Approve and publish" and by
the dashboard's "Awaiting your review" panel) approves the task and redirects to `next` without a
word: the reviewer could not tell whether the click did anything. `ApprovalMessageMiddleware`
notes the task state before the view runs and, when the view approved it, adds Wagtail's success
message ("approved and published" when that was the workflow's last task).
"""

from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.models import Page, TaskState, WorkflowState

APPROVE_VIEW = "wagtailadmin_pages:workflow_action"


class ApprovalMessageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        approving = getattr(request, "translation_queue_approving", None)
        if approving is not None and response.status_code < 400:
            confirm_approval(request, *approving)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method == "POST"
            and match is not None
            and match.view_name == APPROVE_VIEW
            and view_kwargs.get("action_name") == "approve"
            and TaskState.objects.filter(
                pk=view_kwargs.get("task_state_id"), status=TaskState.STATUS_IN_PROGRESS
            ).exists()
        ):
            request.translation_queue_approving = (
                view_kwargs["task_state_id"],
                view_kwargs.get("page_id"),
            )
        return None


def confirm_approval(request, task_state_id, page_id):
    task_state = (
        TaskState.objects.filter(
            pk=task_state_id, status=TaskState.STATUS_APPROVED, finished_by=request.user.pk
        )
        .select_related("workflow_state")
        .first()
    )
    if task_state is None:
        return  # refused or not approved: Wagtail's view said why
    page = Page.objects.filter(pk=page_id).first()
    title = page.get_admin_display_title() if page else ""
    if task_state.workflow_state.status == WorkflowState.STATUS_APPROVED:
        text = _("“%(title)s” was approved and published.")
    else:
        text = _("“%(title)s” was approved: it goes on to the next review step.")
    messages.success(request, text % {"title": title})
