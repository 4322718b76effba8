"""Reviewers' comments on the segments of a translation (translation_queue.models.SegmentComment):
added from the editor's help panel, shown to the translator there and counted on the item's row
in the queue until resolved. Their author, and the reviewers of the language, edit their text."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.defaults import permission_denied
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail_localize.models import StringSegment, Translation

from .editor_help import may_comment, may_edit_comment, may_resolve
from .models import SegmentComment
from .views import queue_permission_required

MAX_COMMENT_LENGTH = 2000


def _back(request):
    return redirect(get_valid_next_url_from_request(request) or "translation_queue:index")


@require_POST
@queue_permission_required
def comment_segment(request, translation_id):
    translation = get_object_or_404(
        Translation.objects.select_related("source", "target_locale"), pk=translation_id
    )
    if not may_comment(request.user, translation.target_locale):
        # A plain 403 (the site's error page), not Wagtail's redirect: a form posted by hand
        # or from a stale page, never offered to this user.
        return permission_denied(
            request, PermissionDenied(_("Only reviewers of this language comment on it."))
        )
    back = _back(request)
    text = (request.POST.get("text") or "").strip()
    segment_id = request.POST.get("segment", "")
    segment = None
    if segment_id.isdigit():
        segment = (
            StringSegment.objects.filter(pk=int(segment_id), source=translation.source)
            .select_related("context", "string")
            .first()
        )
    if segment is None:
        messages.error(request, _("Choose a segment of this translation to comment on."))
        return back
    if not text:
        messages.error(request, _("Write a comment for the translator."))
        return back
    if len(text) > MAX_COMMENT_LENGTH:
        messages.error(
            request,
            _("A comment has at most %(count)d characters.") % {"count": MAX_COMMENT_LENGTH},
        )
        return back
    SegmentComment.objects.create(
        translation_key=translation.source.object_id,
        target_locale=translation.target_locale,
        segment_path=segment.context.path,
        source_text=segment.string.data,
        author=request.user,
        text=text,
    )
    messages.success(request, _("Comment added: the translator sees it in the editor."))
    return back


@require_POST
@queue_permission_required
def resolve_comment(request, comment_id):
    comment = get_object_or_404(
        SegmentComment.objects.select_related("target_locale"), pk=comment_id
    )
    if not may_resolve(request.user, comment.target_locale):
        return permission_denied(
            request, PermissionDenied(_("You may not change translations into this language."))
        )
    if comment.resolved_at is None:
        comment.resolved_at = timezone.now()
        comment.resolved_by = request.user
        comment.save(update_fields=["resolved_at", "resolved_by"])
    messages.success(request, _("Comment marked as resolved."))
    return _back(request)


class CommentTextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Comment for the translator"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_COMMENT_LENGTH,
        error_messages={"required": gettext_lazy("Write a comment for the translator.")},
    )


@require_http_methods(["GET", "POST"])
@queue_permission_required
def edit_comment(request, comment_id):
    comment = get_object_or_404(
        SegmentComment.objects.select_related("target_locale", "author"), pk=comment_id
    )
    if not may_edit_comment(request.user, comment):
        return permission_denied(
            request,
            PermissionDenied(
                _("Only its author and the reviewers of this language edit this comment.")
            ),
        )
    if request.method == "POST":
        form = CommentTextForm(request.POST)
        if form.is_valid():
            text = form.cleaned_data["text"]
            if text != comment.text:
                comment.text = text
                comment.edited_at = timezone.now()
                comment.edited_by = request.user
                comment.save(update_fields=["text", "edited_at", "edited_by"])
            messages.success(request, _("Comment saved."))
            return _back(request)
    else:
        form = CommentTextForm(initial={"text": comment.text})
    context = {
        "comment": comment,
        "form": form,
        "next_url": get_valid_next_url_from_request(request),
    }
    return TemplateResponse(
        request,
        "translation_queue/edit_comment.html",
        context,
        status=400 if form.is_bound else 200,
    )


def open_comment_counts(request):
    """{(translation key as text, target locale id): open comments}, read once per request: the
    queue's rows show it without a query each. Open comments are few (resolved ones are not
    read)."""
    counts = getattr(request, "translation_queue_open_comments", None)
    if counts is None:
        counts = {
            (str(key), locale_id): count
            for key, locale_id, count in SegmentComment.objects.filter(resolved_at__isnull=True)
            .values("translation_key", "target_locale_id")
            .annotate(count=Count("pk"))
            .values_list("translation_key", "target_locale_id", "count")
        }
        request.translation_queue_open_comments = counts
    return counts
