"""The review step in wagtail-localize's translation editor (docs/editors.md)."""

from django import template
from wagtail.models import GroupApprovalTask, Page

from ngo_site.roles import can_change, can_publish

from ..drafts import untranslated_segments
from ..models import TranslationAssignment

register = template.Library()


@register.inclusion_tag("translation_queue/review_panel.html", takes_context=True)
def translation_review_panel(context, instance, user):
    shown = can_change(user, instance) and not can_publish(user, instance)
    panel = {"shown": shown, "instance": instance, "request": context.get("request")}
    if not shown:
        return panel
    is_page = isinstance(instance, Page)
    workflow_state = instance.current_workflow_state if is_page else None
    assignment = (
        TranslationAssignment.objects.filter(
            translation_key=instance.translation_key,
            target_locale_id=instance.locale_id,
            reviewer__isnull=False,
        )
        .select_related("reviewer")
        .first()
    )
    reviewers = []
    if assignment is not None:
        reviewers = [assignment.reviewer.get_full_name() or assignment.reviewer.get_username()]
    if not reviewers and workflow_state is not None and workflow_state.current_task_state:
        task = workflow_state.current_task_state.task.specific
        if isinstance(task, GroupApprovalTask):
            reviewers = [group.name for group in task.groups.all()]
    panel.update(
        is_page=is_page,
        in_review=workflow_state is not None,
        reviewers=reviewers,
        untranslated=untranslated_segments(instance),
    )
    return panel
