"""Admin views of the translation queue (URLs registered in ngo_site.wagtail_hooks)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component
from wagtail.models import Locale

from .forms import AssignForm, QueueFilterForm, translator_choices
from .models import TranslationAssignment
from .queries import (
    STATUS_ORDER,
    add_word_counts,
    queue_rows,
    target_locales,
)


def _filtered(rows, data, user):
    if data.get("locale"):
        rows = [row for row in rows if row.target_locale.language_code == data["locale"]]
    if data.get("status"):
        rows = [row for row in rows if row.status == data["status"]]
    assignee = data.get("assignee")
    if assignee == "me":
        rows = [row for row in rows if row.assignee_id == user.pk]
    elif assignee == "none":
        rows = [row for row in rows if row.assignee_id is None]
    elif assignee:
        rows = [row for row in rows if str(row.assignee_id) == assignee]
    if data.get("content_type"):
        rows = [row for row in rows if str(row.content_type.pk) == data["content_type"]]
    if data.get("section"):
        rows = [row for row in rows if str(row.section_id) == data["section"]]
    if data.get("q"):
        needle = data["q"].casefold()
        rows = [row for row in rows if needle in row.title.casefold()]
    return rows


def _sorted(rows, sort):
    if sort == "status":
        return sorted(rows, key=lambda row: (STATUS_ORDER[row.status], row.title.casefold()))
    if sort == "-source_published_at":
        return sorted(
            rows,
            key=lambda row: row.source_published_at.timestamp() if row.source_published_at else 0,
            reverse=True,
        )
    if sort == "due_date":
        return sorted(
            rows, key=lambda row: (row.due_date is None, row.due_date or 0, row.title.casefold())
        )
    if sort == "-words":
        # Word counts need the strings: computed for every filtered row (one query).
        add_word_counts(rows)
        return sorted(rows, key=lambda row: row.words or 0, reverse=True)
    return sorted(rows, key=lambda row: row.title.casefold())


def queue(request):
    locales = target_locales()
    rows = queue_rows(locales=locales)
    content_types = sorted({row.content_type for row in rows}, key=lambda ct: ct.model)
    sections = sorted(
        {(row.section_id, row.section) for row in rows if row.section_id}, key=lambda item: item[1]
    )
    users = translator_choices()
    form = QueueFilterForm(
        request.GET or None,
        locales=locales,
        content_types=content_types,
        sections=sections,
        users=users,
    )
    # Invalid filters (a stale link, a hand-edited address) are ignored rather than failing.
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = _sorted(_filtered(rows, data, request.user), data.get("sort"))
    paginator = Paginator(rows, settings.TRANSLATION_QUEUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    if data.get("sort") != "-words":
        add_word_counts(page.object_list)
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "ngo_site/translation_queue/index.html",
        {
            "form": form,
            "page_obj": page,
            "paginator": paginator,
            "query_string": query.urlencode(),
            "assign_form_users": users,
            "current_url": request.get_full_path(),
        },
    )


@require_POST
def assign(request):
    form = AssignForm(request.POST, users=translator_choices())
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    back = redirect(next_url or "translation_queue:index")
    if not form.is_valid():
        messages.error(request, _("The assignment could not be saved: check the form."))
        return back
    locale = Locale.objects.filter(language_code=form.cleaned_data["locale"]).first()
    if locale is None or locale.language_code == settings.LANGUAGE_CODE:
        messages.error(request, _("Unknown target language."))
        return back
    choice = form.cleaned_data["assignee"]
    if choice == "me":
        assignee = request.user
    elif choice:
        assignee = get_user_model().objects.filter(pk=choice).first()
    else:
        assignee = None
    TranslationAssignment.objects.update_or_create(
        translation_key=form.cleaned_data["translation_key"],
        target_locale=locale,
        defaults={"assignee": assignee, "due_date": form.cleaned_data["due_date"]},
    )
    messages.success(request, _("Assignment saved."))
    return back


def changes(request, translation_key):
    """Which segments of the source changed since the translation was made."""
    from .models import SourceChange

    change = SourceChange.objects.filter(translation_key=translation_key).first()
    return TemplateResponse(
        request,
        "ngo_site/translation_queue/changes.html",
        {"change": change},
    )


class MyTranslationsPanel(Component):
    """Dashboard panel: the queue rows assigned to the user that are not published yet."""

    name = "my_translations"
    order = 140
    template_name = "ngo_site/translation_queue/my_translations_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["rows"] = my_translations(self.user)
        return context


def my_translations(user):
    if not TranslationAssignment.objects.filter(assignee=user).exists():
        return []  # most users have none: one query instead of the whole queue
    rows = [row for row in queue_rows() if row.assignee_id == user.pk and row.status != "published"]
    return sorted(rows, key=lambda row: (row.due_date is None, row.due_date or 0, row.title))
