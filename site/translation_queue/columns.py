"""The queue's table cells, built with format_html rather than a template each.

A page of the queue has 50 rows of ten cells, and most rows a "More" dropdown: rendering a
Django template (and Wagtail's button, dropdown and icon templates) per cell cost more than
everything else the page does (docs/benchmarks.md, "Translation queue"). These columns write
the same markup as the templates they replace (Wagtail's wagtailadmin/tables/cell.html,
date_cell.html, bulk_actions/listing_checkbox_cell.html, shared/button.html,
shared/dropdown/dropdown.html, shared/icon.html and human_readable_date.html), with the
labels translated once per page rather than once per row.
"""

import datetime

from django.contrib.admin.utils import quote
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple
from wagtail.admin.ui.tables import BaseColumn, BulkActionsCheckboxColumn, Column, DateColumn
from wagtail.admin.widgets.button import BaseDropdownMenuButton


def icon_html(name, classname="icon"):
    """Wagtail's `{% icon %}` (wagtailadmin/shared/icon.html) without a title."""
    return format_html(
        '<svg class="icon icon-{} {}" aria-hidden="true"><use href="#icon-{}"></use></svg>',
        name,
        classname,
        name,
    )


def button_html(button):
    """A Wagtail Button as wagtailadmin/shared/button.html renders it."""
    return format_html(
        '<a href="{}" class="{}" {}>{}{}</a>',
        button.url,
        button.classname,
        button.base_attrs_string,
        icon_html(button.icon_name) if button.icon_name else "",
        button.label,
    )


def dropdown_html(button):
    """A ButtonWithDropdown as wagtailadmin/shared/button_with_dropdown.html renders it
    (through shared/dropdown/dropdown.html): the toggle, named by its aria-label, then the
    hidden menu of links."""
    toggle_classes = " ".join(
        name
        for name in (
            "w-dropdown__toggle",
            "" if button.label else "w-dropdown__toggle--icon",
            button.classname,
        )
        if name
    )
    aria_label = button.aria_label
    return format_html(
        '<div data-controller="w-dropdown" class="w-dropdown" {}>'
        '<button type="button" class="{}" data-w-dropdown-target="toggle"{}>{}{}</button>'
        '<div data-w-dropdown-target="content" class="w-dropdown__content" hidden>{}</div>'
        "</div>",
        button.base_attrs_string,
        toggle_classes,
        format_html(' aria-label="{}"', aria_label) if aria_label else "",
        button.label,
        icon_html(button.icon_name or "arrow-down", "w-dropdown__toggle-icon"),
        format_html_join(
            "", "{}", ((button_html(item),) for item in sorted(button.dropdown_buttons))
        ),
    )


class ActionsColumn(BaseColumn):
    """A row's actions: its main one as a link, the others in a "More" dropdown (Wagtail's
    listing pattern), so that a row stays one line high. `get_buttons(row)` gives Wagtail
    Button and ButtonWithDropdown objects."""

    def __init__(self, name, get_buttons, **kwargs):
        super().__init__(name, **kwargs)
        self.get_buttons = get_buttons

    def render_cell_html(self, instance, parent_context):
        actions = actions_html(self.get_buttons(instance))
        return format_html('<td class="queue-actions">{}</td>', actions)


def actions_html(buttons):
    """A listing's buttons as wagtailadmin/shared/buttons.html lists them (the shown ones, in
    their order), in `<ul class="actions">`; nothing without one."""
    buttons = [button for button in sorted(buttons) if button.show]
    if not buttons:
        return ""
    items = format_html_join(
        "",
        "<li>{}</li>",
        (
            (
                dropdown_html(button)
                if isinstance(button, BaseDropdownMenuButton)
                else button_html(button),
            )
            for button in buttons
        ),
    )
    return format_html('<ul class="actions">{}</ul>', items)


class ValueColumn(Column):
    """wagtailadmin/tables/cell.html: the value (numbers not localised), or nothing."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if value is None or not str(value).strip():
            value = self.empty_value_display
        return format_html("<td{}>{}</td>", self.class_attr, value)

    @property
    def class_attr(self):
        return format_html(' class="{}"', self.classname) if self.classname else ""


class HumanDateColumn(DateColumn):
    """wagtailadmin/tables/date_cell.html with Wagtail's `human_readable_date`: how long ago,
    with the date and time in a tooltip."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        class_attr = format_html(' class="{}"', self.classname) if self.classname else ""
        if not value:
            return format_html("<td{}></td>", class_attr)
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            tooltip = formats.date_format(value, "DATETIME_FORMAT")
        else:
            tooltip = formats.date_format(value, "DATE_FORMAT")
        return format_html(
            '<td{}><button type="button" class="w-human-readable-date" data-controller="w-tooltip"'
            ' data-w-tooltip-content-value="{}" data-w-tooltip-placement-value="top">'
            '<time class="w-human-readable-date__date" datetime="{}">{}</time></button></td>',
            class_attr,
            tooltip,
            value.isoformat(),
            capfirst(timesince_simple(value)),
        )


class SelectColumn(BulkActionsCheckboxColumn):
    """The bulk actions' checkbox (wagtailadmin/bulk_actions/listing_checkbox_cell.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.select_label = _("Select")

    def render_cell_html(self, instance, parent_context):
        return format_html(
            '<td class="bulk-action-checkbox-cell"><input type="checkbox" data-object-id="{}"'
            ' data-bulk-action-checkbox class="bulk-action-checkbox" aria-label="{}"'
            ' aria-describedby="{}"></td>',
            quote(instance.pk),
            self.select_label,
            self.get_aria_describedby(instance),
        )


class TitleColumn(BaseColumn):
    """The row's header: the title (cut with an ellipsis, whole in the tooltip), after the
    number of open review comments. Its id names the row for the checkbox's screen-reader
    description."""

    def render_cell_html(self, instance, parent_context):
        from .comments import open_comment_counts  # comments imports the views

        request = parent_context.get("request")
        comments = (
            open_comment_counts(request).get((instance.raw_key, instance.target_locale.pk), 0)
            if request is not None
            else 0
        )
        badge = (
            format_html(
                ' <span class="w-status w-status--primary" data-open-comments="{}">{}</span>',
                comments,
                ngettext("%(counter)s review comment", "%(counter)s review comments", comments)
                % {"counter": comments},
            )
            if comments
            else ""
        )
        return format_html(
            '<th scope="row" class="queue-title" id="queue_entry_{}_title" title="{}">{} {}</th>',
            quote(instance.pk),
            instance.title,
            badge,
            instance.title,
        )


class StatusColumn(BaseColumn):
    """The status, "in review" when a moderation workflow runs, and a link to the segments
    changed since the translation was last synchronised."""

    def __init__(self, name, changes_url, **kwargs):
        super().__init__(name, **kwargs)
        self.changes_url = changes_url
        self.in_review = format_html(
            ' <span class="w-status w-status--primary">{}</span>', _("in review")
        )

    def render_cell_html(self, instance, parent_context):
        change = ""
        if instance.change:
            from .signals import REORDERED  # signals imports the queue's entries

            items = instance.change.changed_segments
            count = sum(1 for item in items if item.get("kind") != REORDERED)
            change = format_html(
                ' · <a href="{}">{}</a>',
                self.changes_url(instance),
                ngettext("%(counter)s segment changed", "%(counter)s segments changed", count)
                % {"counter": count}
                if count
                else _("segments moved"),
            )
        return format_html(
            "<td>{}{}{}</td>",
            instance.status_label,
            self.in_review if instance.in_workflow else "",
            change,
        )


class AssignmentColumn(BaseColumn):
    """The due date (a red "overdue" label once passed), the reviewer (an icon, named in a
    tooltip) and the assignee."""

    def __init__(self, name, **kwargs):
        super().__init__(name, **kwargs)
        self.today = timezone.localdate()
        self.nobody = format_html('<span aria-label="{}">—</span>', _("Nobody"))
        self.assigned_to = format_html('<span class="w-sr-only">{} </span>', _("Assigned to"))
        self.reviewer_icon = icon_html("user", "default")

    @staticmethod
    def name_of(user):
        return user.get_full_name() or user.get_username()

    def render_cell_html(self, instance, parent_context):
        due = ""
        if instance.due_date:
            date = formats.date_format(instance.due_date, "MONTH_DAY_FORMAT")
            if instance.due_date < self.today:
                due = format_html(
                    '<span class="w-status w-status--label" data-overdue>{}</span> · ',
                    _("overdue since %(date)s") % {"date": date},
                )
            else:
                due = format_html("{} · ", _("due %(date)s") % {"date": date})
        reviewer = ""
        if instance.reviewer:
            reviewed_by = _("Reviewed by %(name)s") % {"name": self.name_of(instance.reviewer)}
            reviewer = format_html(
                '<span data-reviewer data-controller="w-tooltip"'
                ' data-w-tooltip-content-value="{}" tabindex="0">{}'
                '<span class="w-sr-only">{}</span></span>',
                reviewed_by,
                self.reviewer_icon,
                reviewed_by,
            )
        if instance.assignee:
            assignee = format_html("{}{}", self.assigned_to, self.name_of(instance.assignee))
        else:
            assignee = self.nobody
        return format_html(
            '<td class="queue-clip queue-assignment">{} {} {}</td>', due, reviewer, assignee
        )
