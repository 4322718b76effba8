"""Admin views of the translation queue (URLs registered in its wagtail_hooks; the bulk actions
are in bulk_actions).

Every view needs wagtail-localize's "submit translation" permission (translators, editors,
moderators, administrators); Wagtail's admin URLs already turn anonymous users away.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_permission_codename, get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Table
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import (
    Button,
    ButtonWithDropdown,
    HeaderButton,
)
from wagtail.models import GroupApprovalTask, Locale, Page
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import SourceDeletedError, Translation, TranslationSource

from ngo_site.roles import can_publish, may_approve

from . import exchange
from .columns import (
    ActionsColumn,
    AssignmentColumn,
    HumanDateColumn,
    SelectColumn,
    StatusColumn,
    TitleColumn,
    ValueColumn,
)
from .drafts import save_translation_draft, untranslated_segments
from .entries import refresh_pending
from .filters import EVERYTHING, QueueFilterSet
from .forms import AssignForm, reviewer_choices, translator_choices
from .models import QueueEntry, SourceChange, TranslationAssignment
from .queries import (
    IN_PROGRESS,
    MISSING,
    OUTDATED,
    PUBLISHED,
    READY_FOR_REVIEW,
    entry_rows,
    target_locales,
)
from .suggestions import segment_suggestions

QUEUE_PERMISSION = "wagtail_localize.submit_translation"


def can_use_queue(user):
    return user.is_active and user.has_perm(QUEUE_PERMISSION)


def queue_permission_required(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not can_use_queue(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


def _back(request):
    return redirect(get_valid_next_url_from_request(request) or "translation_queue:index")


def approvable_task_ids(user):
    """The moderation tasks the user may approve (None: every task, for superusers)."""
    if user.is_superuser:
        return None
    return set(
        GroupApprovalTask.objects.filter(groups__in=user.groups.all()).values_list("pk", flat=True)
    )


def _can_publish_snippets(user, rows):
    """Whether the user may approve and publish each snippet row's translation: those who
    approve (ngo_site.roles.may_approve), with the model's change permission (Django caches the
    user's permissions: no query per row)."""
    if not may_approve(user):
        return
    for row in rows:
        if row.is_page or row.status != READY_FOR_REVIEW or not row.translation_id:
            continue
        model = row.content_type.model_class()
        row.can_publish = model is not None and user.has_perm(
            f"{model._meta.app_label}.{get_permission_codename('change', model._meta)}"
        )


class QueuePermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_use_queue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class QueueTable(Table):
    template_name = "translation_queue/table.html"

    def get_row_attrs(self, instance):
        return {"data-queue-row": instance.key, "data-status": instance.status}


# Sort keys of the columns, as the database fields they order by; the other keys are fields.
SORT_FIELDS = {"title": "folded_title", "status": "status_order"}
# The default order, "most urgent first": the due date (overdue and due soonest first, items
# without one after), then the status (URGENCY_OF_STATUS), then the most words first, then
# the title. Documented in docs/localisation.md.
URGENCY = "urgency"
URGENCY_OF_STATUS = {OUTDATED: 0, READY_FOR_REVIEW: 1, IN_PROGRESS: 2, MISSING: 3}


def urgency_order():
    status_rank = Case(
        *(When(status=status, then=Value(rank)) for status, rank in URGENCY_OF_STATUS.items()),
        default=Value(len(URGENCY_OF_STATUS)),
        output_field=IntegerField(),
    )
    return [F("due_date").asc(nulls_last=True), status_rank, F("words").desc(nulls_last=True)]


class MainAction(Button):
    """A row's main action: a plain link, no taller than the row's text."""

    allow_in_dropdown = False


def post_button(label, url, **kwargs):
    """A dropdown entry that POSTs (Wagtail's `w-action` controller, with the page's address
    as `next`: the action comes back to the queue as filtered)."""
    return Button(
        label,
        url,
        attrs={
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": url,
        },
        **kwargs,
    )


class QueueView(QueuePermissionMixin, IndexView):
    model = QueueEntry
    filterset_class = QueueFilterSet
    table_class = QueueTable
    page_title = gettext_lazy("Translation queue")
    header_icon = "site"
    template_name = "translation_queue/index.html"
    results_template_name = "translation_queue/index_results.html"
    index_url_name = "translation_queue:index"
    index_results_url_name = "translation_queue:index_results"
    default_ordering = URGENCY
    search_fields = ["folded_title"]
    verbose_name = gettext_lazy("item")
    verbose_name_plural = gettext_lazy("items")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        refresh_pending()
        self.locales = target_locales()
        self.translators = translator_choices()

    def get_base_queryset(self):
        return QueueEntry.objects.filter(target_locale__in=self.locales)

    def get_filterset_kwargs(self):
        return {
            **super().get_filterset_kwargs(),
            "queryset": self.get_base_queryset(),
            "locales": self.locales,
            "translators": self.translators,
        }

    def filter_queryset(self, queryset):
        # An invalid value (a stale link, a hand-edited address) drops that filter only:
        # cleaned_data keeps the fields that validated, and the page names the others.
        self.filters.is_valid()
        return self.filters.filter_queryset(queryset)

    def search_queryset(self, queryset):
        # Titles are stored case-folded: the same matching on SQLite and PostgreSQL, accents
        # included (SQLite's LIKE folds ASCII letters only).
        if not self.is_searching:
            return queryset
        return queryset.filter(folded_title__contains=self.search_query.casefold())

    def get_valid_orderings(self):
        return [URGENCY, *super().get_valid_orderings()]

    def order_queryset(self, queryset):
        if self.ordering == URGENCY:
            return queryset.order_by(*urgency_order(), "folded_title", "pk")
        field = SORT_FIELDS.get(self.ordering.lstrip("-"), self.ordering.lstrip("-"))
        if self.ordering.startswith("-"):
            order = F(field).desc(nulls_last=True)
        else:
            order = F(field).asc(nulls_last=True)
        # The primary key last: pages of the queue never repeat or skip rows with equal titles.
        return queryset.order_by(order, "folded_title", "pk")

    def get_paginate_by(self, queryset):
        return settings.TRANSLATION_QUEUE_PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        paginator, page, entries, is_paginated = super().paginate_queryset(
            queryset.select_related("assignee"), page_size
        )
        page.object_list = rows = entry_rows(list(entries), self.locales)
        approvable = approvable_task_ids(self.request.user)
        for row in rows:
            row.can_approve = row.task_id is not None and (
                approvable is None or row.task_id in approvable
            )
        _can_publish_snippets(self.request.user, rows)
        return paginator, page, rows, is_paginated

    @cached_property
    def current_url(self):
        """The full page's address, also when the results are refreshed on their own."""
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        return f"{self.index_url}?{query.urlencode()}" if query else self.index_url

    @cached_property
    def everything_url(self):
        """The queue with every status and language, the other filters and search kept."""
        query = self.request.GET.copy()
        for name in ("_w_filter_fragment", self.page_kwarg, "ordering"):
            query.pop(name, None)
        query.setlist("status", [EVERYTHING["status"]])
        query.setlist("locale", [EVERYTHING["locale"]])
        return f"{self.index_url}?{query.urlencode()}"

    @cached_property
    def next_query(self):
        """`next=` the page's address: actions come back to the queue as filtered."""
        return urlencode({"next": self.current_url})

    @cached_property
    def machine_translator(self):
        return get_machine_translator()

    def row_buttons(self, row):
        """The main action of a row, then the others in a "More" dropdown."""
        buttons, more = [], []
        if row.status == MISSING:
            buttons.append(MainAction(_("Create the translation"), row.create_url, priority=10))
        elif edit_url := row.edit_url:
            buttons.append(MainAction(_("Open in the editor"), edit_url, priority=10))
        if row.status == OUTDATED and (sync_url := row.sync_url):
            more.append(
                Button(
                    _("Sync from the source"),
                    f"{sync_url}?{self.next_query}",
                    icon_name="resubmit",
                    priority=10,
                )
            )
        if row.status == IN_PROGRESS and row.translation_id:
            more.append(
                Button(
                    _("Segments to translate"),
                    changes_url(row),
                    icon_name="list-ul",
                    priority=20,
                )
            )
        if row.translation_id and self.machine_translator and row.progress < 100:
            more.append(
                post_button(
                    _("Pre-fill with machine translation"),
                    reverse("wagtail_localize:machine_translate", args=[row.translation_id]),
                    icon_name="cogs",
                    priority=30,
                )
            )
        if row.is_page and row.target_pk and row.status == READY_FOR_REVIEW and not row.in_workflow:
            more.append(
                post_button(
                    _("Send for review"),
                    reverse("translation_queue:send_for_review", args=[row.target_pk]),
                    icon_name="resubmit",
                    priority=40,
                )
            )
        if row.can_approve:
            more.append(
                post_button(
                    _("Approve and publish"),
                    reverse(
                        "wagtailadmin_pages:workflow_action",
                        args=[row.target_pk, "approve", row.task_state_id],
                    ),
                    icon_name="success",
                    priority=50,
                )
            )
        if row.can_publish:
            more.append(
                post_button(
                    _("Approve and publish"),
                    reverse("translation_queue:publish_snippet", args=[row.translation_id]),
                    icon_name="success",
                    priority=50,
                )
            )
        if more:
            buttons.append(
                ButtonWithDropdown(
                    buttons=more,
                    icon_name="dots-horizontal",
                    attrs={"aria-label": _("More actions for “%(title)s”") % {"title": row.title}},
                    priority=20,
                )
            )
        return buttons

    @cached_property
    def columns(self):
        # With one target language every row would say the same: the column is left out.
        language_column = (
            [
                ValueColumn(
                    "language", label=_("Language"), accessor="target_locale.get_display_name"
                )
            ]
            if len(self.locales) > 1
            else []
        )
        return [
            SelectColumn("select", obj_type="queue_entry"),
            TitleColumn("title", label=_("Title"), sort_key="title"),
            ValueColumn(
                "type", label=_("Type"), accessor=type_label, classname="queue-clip queue-type"
            ),
            ValueColumn(
                "section",
                label=_("Programme"),
                accessor=lambda row: row.section or "—",
                classname="queue-clip",
            ),
            *language_column,
            StatusColumn(
                "status",
                changes_url,
                label=_("Status"),
                sort_key="status",
            ),
            ValueColumn(
                "words",
                label=_("Words new or changed"),
                accessor=lambda row: "—" if row.words is None else row.words,
                sort_key="words",
                classname="queue-wrap-head",
            ),
            HumanDateColumn(
                "source_published_at",
                label=_("Source last published"),
                sort_key="source_published_at",
                classname="queue-wrap-head",
            ),
            AssignmentColumn("assignment", label=_("Assignee and due date"), sort_key="due_date"),
            ActionsColumn("actions", self.row_buttons, label=_("Actions")),
        ]

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Import a PO or XLIFF file from a translator"),
                reverse("translation_queue:import_po"),
                icon_name="upload",
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ignored_filters"] = [
            str(self.filters.form.fields[name].label) for name in self.filters.form.errors
        ]
        context["defaults_applied"] = self.filters.defaults_applied
        context["everything_url"] = self.everything_url
        context["urgency_order"] = self.ordering == URGENCY
        return context


def changes_url(row):
    """The segments of the row's translation changed since its source's last sync."""
    url = reverse("translation_queue:changes", args=[row.translation_key])
    return f"{url}?locale={row.target_locale.language_code}"


def type_label(row):
    model = row.content_type.model_class()
    return capfirst(model._meta.verbose_name if model else row.content_type.name)


@require_POST
@queue_permission_required
def assign(request):
    form = AssignForm(request.POST, users=translator_choices(), reviewers=reviewer_choices())
    back = _back(request)
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
    reviewer_id = form.cleaned_data["reviewer"]
    reviewer = get_user_model().objects.filter(pk=reviewer_id).first() if reviewer_id else None
    TranslationAssignment.objects.update_or_create(
        translation_key=form.cleaned_data["translation_key"],
        target_locale=locale,
        defaults={
            "assignee": assignee,
            "reviewer": reviewer,
            "due_date": form.cleaned_data["due_date"],
        },
    )
    messages.success(request, _("Assignment saved."))
    return back


@queue_permission_required
def changes(request, translation_key):
    """Which segments of the source changed since the translation was made, with the previous
    translation of each as a suggestion."""
    source_locale = Locale.get_default()
    locales = target_locales()
    target = next(
        (locale for locale in locales if locale.language_code == request.GET.get("locale")),
        locales[0] if locales else None,
    )
    change = SourceChange.objects.filter(
        translation_key=translation_key, source_locale=source_locale
    ).first()
    source = TranslationSource.objects.filter(
        object_id=translation_key, locale=source_locale
    ).first()
    if change is not None and (
        source is None or change.source_updated_at != source.last_updated_at
    ):
        change = None  # synced since: the suggestions below come from the synced source
    suggestions = segment_suggestions(translation_key, source_locale, target) if target else []
    # Removed segments, moved blocks and changed images or links: nothing to translate, but
    # the translation still follows the old source until it is synced.
    other_changes = [
        item
        for item in (change.changed_segments if change else [])
        if item.get("kind", "changed") != "changed"
    ]
    return TemplateResponse(
        request,
        "translation_queue/changes.html",
        {
            "change": change,
            "suggestions": suggestions,
            "other_changes": other_changes,
            "target_locale": target,
            "locales": locales,
            "translation_key": translation_key,
        },
    )


# --- moderation: send a translated page for review -------------------------------------------


@require_POST
@queue_permission_required
def send_for_review(request, page_id):
    """Save the translated page from its translation and submit it to its moderation workflow
    (the site's "Moderators approval"); reviewers approve it with Wagtail's own workflow action,
    which publishes it."""
    back = _back(request)
    page = get_object_or_404(Page, pk=page_id).specific
    if page.locale.language_code == settings.LANGUAGE_CODE:
        messages.error(request, _("Only translations are sent for review from the queue."))
        return back
    permissions = page.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    if page.workflow_in_progress:
        messages.info(request, _("“%(title)s” is already in review.") % {"title": page.title})
        return back
    workflow = page.get_workflow()
    if workflow is None or not permissions.can_submit_for_moderation():
        messages.error(request, _("“%(title)s” cannot be sent for review.") % {"title": page.title})
        return back
    translation = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale=page.locale, enabled=True
    ).first()
    missing = untranslated_segments(page)
    if missing:
        messages.error(
            request,
            ngettext(
                "“%(title)s” cannot be sent for review: %(count)d segment is not translated yet.",
                "“%(title)s” cannot be sent for review: %(count)d segments are not translated yet.",
                missing,
            )
            % {"title": page.title, "count": missing},
        )
        return back
    with transaction.atomic():
        if translation is not None:
            if not save_translation_draft(translation, request.user):
                messages.error(
                    request,
                    _("“%(title)s” cannot be saved: open it in the editor to fix it.")
                    % {"title": page.title},
                )
                return back
            page = Page.objects.get(pk=page.pk).specific
        elif page.get_latest_revision() is None:
            page.save_revision(user=request.user)
        workflow.start(page, request.user)
    messages.success(request, _("“%(title)s” was sent for review.") % {"title": page.title})
    return back


@require_POST
@queue_permission_required
def publish_snippet(request, translation_id):
    """Approve a translated snippet and publish it: write its translation into the French
    snippet. The site's translatable snippets have no drafts (saving one publishes it), so
    the queue keeps their new French in wagtail-localize's strings, as "ready for review",
    until someone allowed to edit that snippet approves it here."""
    back = _back(request)
    translation = get_object_or_404(
        Translation.objects.select_related("source", "target_locale"),
        pk=translation_id,
        enabled=True,
    )
    model = translation.source.specific_content_type.model_class()
    if model is None or issubclass(model, Page):
        messages.error(request, _("Pages are approved through their review, not here."))
        return back
    if translation.source.locale.language_code != settings.LANGUAGE_CODE:
        raise Http404
    try:
        target = translation.get_target_instance()
    except model.DoesNotExist:
        messages.error(request, _("This translation does not exist yet: create it first."))
        return back
    if not can_publish(request.user, target):
        raise PermissionDenied
    if untranslated_segments(target):
        messages.error(
            request,
            _("“%(title)s” is not ready for review: translate every segment first.")
            % {"title": str(target)},
        )
        return back
    refresh_pending()
    entry = QueueEntry.objects.filter(
        translation_key=translation.source.object_id, target_locale=translation.target_locale
    ).first()
    title = str(target)
    if entry is None or entry.status != READY_FOR_REVIEW:
        messages.error(
            request,
            _("“%(title)s” is not ready for review: translate every segment first.")
            % {"title": title},
        )
        return back
    try:
        translation.save_target(user=request.user, publish=True)
    except ValidationError:
        messages.error(
            request,
            _("“%(title)s” cannot be saved: open it in the editor to fix it.") % {"title": title},
        )
        return back
    messages.success(request, _("“%(title)s” was approved and published.") % {"title": title})
    return back


# --- import of a PO or XLIFF file from an outside translator --------------------------------

IMPORT_ERRORS = {
    "wrong-type": gettext_lazy(
        "This is not a PO file or an XLIFF file: upload the .po or .xlf file exported from the "
        "queue."
    ),
    "too-large": gettext_lazy("The file is too large."),
    "broken": gettext_lazy(
        "The file could not be read as a PO or XLIFF 1.2 file: it may be damaged."
    ),
    "not-ours": gettext_lazy(
        "This file was not exported from the translation queue (its export date is missing)."
    ),
}


@queue_permission_required
def import_po(request):
    if request.method != "POST":
        context = {"report": None, "error": None}
        return TemplateResponse(request, "translation_queue/import.html", context)
    status, context = run_import(request)
    return TemplateResponse(request, "translation_queue/import.html", context, status=status)


def run_import(request, only=None):
    """Import the uploaded PO or XLIFF file (of translations `only`, uuids, when given: the
    others are reported as unmatched): (HTTP status, template context)."""
    context = {"report": None, "error": None}
    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = _("Choose a PO file or an XLIFF file to upload.")
        return 400, context
    xliff = exchange.is_xliff(upload)
    try:
        if xliff:
            entries, exported_at = exchange.read_xliff(upload)
        else:
            entries, exported_at = exchange.read_po(upload)
    except exchange.InvalidPOFile as error:
        context["error"] = IMPORT_ERRORS[str(error)]
        return 400, context
    tool_name = exchange.XLIFF_TOOL_NAME if xliff else exchange.TOOL_NAME
    report = exchange.import_po(entries, exported_at, request.user, tool_name=tool_name, only=only)
    unsaved = []
    for translation in report.translations:
        if not _saved_as_draft(translation, request.user):
            unsaved.append(str(translation.target_instance))
    file_type = "XLIFF" if xliff else "PO"
    context.update(report=report, exported_at=exported_at, unsaved=unsaved, file_type=file_type)
    return 200, context


def _saved_as_draft(translation, user):
    """Save one imported item as a draft; False (the item is listed as not saved, the other
    items are saved) when its content does not validate or its source or translated object
    was deleted meanwhile."""
    try:
        with transaction.atomic():
            return save_translation_draft(translation, user)
    except (SourceDeletedError, ObjectDoesNotExist):
        return False


class MyTranslationsPanel(Component):
    """Dashboard panel: the queue rows assigned to the user that are not published yet."""

    name = "my_translations"
    order = 140
    template_name = "translation_queue/my_translations_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["rows"] = my_translations(self.user)
        return context


def my_translations(user, limit=50):
    """The user's unpublished assignments, soonest due first (a few queries, any queue size)."""
    refresh_pending()
    locales = target_locales()
    entries = (
        QueueEntry.objects.filter(assignee=user, target_locale__in=locales)
        .exclude(status=PUBLISHED)
        .select_related("assignee")
        .order_by(F("due_date").asc(nulls_last=True), "folded_title", "pk")[:limit]
    )
    return entry_rows(list(entries), locales)
