"""The queue's filters, on its stored rows (QueueEntry)."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.models import Locale

from .models import QueueEntry
from .queries import STATUSES, programme_sections


def content_type_choices(entries):
    """The content types of the rows, by name: one query."""
    ids = entries.order_by().values_list("content_type_id", flat=True).distinct()
    models = {pk: ContentType.objects.get_for_id(pk).model_class() for pk in ids}  # cached
    choices = [
        (str(pk), capfirst(model._meta.verbose_name))
        for pk, model in models.items()
        if model is not None
    ]
    return sorted(choices, key=lambda choice: choice[1])


def section_choices():
    sections = programme_sections(Locale.get_default()).values()
    return [(str(pk), title) for pk, title in sorted(sections, key=lambda s: s[1].casefold())]


def job_choices(user):
    """The jobs the user sees (translation_queue.jobs), those not done first: one query."""
    from .jobs import visible_jobs

    found = visible_jobs(user).select_related("target_locale").order_by("name", "pk")
    ordered = sorted(found, key=lambda job: job.status == job.DONE)
    return [
        (str(job.pk), f"{job.name} ({job.target_locale.get_display_name()})") for job in ordered
    ]


def filter_by_job(queryset, user, job_id):
    """The rows of a job's items, in its language."""
    from .jobs import visible_jobs
    from .models import TranslationJobItem

    job = visible_jobs(user).filter(pk=job_id).first()
    if job is None:
        return queryset.none()
    keys = TranslationJobItem.objects.filter(job=job).values("translation_key")
    return queryset.filter(target_locale_id=job.target_locale_id, translation_key__in=keys)


class QueueFilterSet(WagtailFilterSet):
    locale = django_filters.ChoiceFilter(
        label=_("Language"), field_name="target_locale__language_code", empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUSES, empty_label=_("All"))
    assignee = django_filters.ChoiceFilter(
        label=_("Assignee"), method="filter_assignee", empty_label=_("All")
    )
    content_type = django_filters.ChoiceFilter(
        label=_("Content type"), field_name="content_type_id", empty_label=_("All")
    )
    section = django_filters.ChoiceFilter(
        label=_("Programme"), field_name="section_id", empty_label=_("All")
    )
    job = django_filters.ChoiceFilter(label=_("Job"), method="filter_job", empty_label=_("All"))

    class Meta:
        model = QueueEntry
        fields = []

    def __init__(self, *args, locales, translators, **kwargs):
        super().__init__(*args, **kwargs)
        choices = {
            "locale": [(locale.language_code, locale.get_display_name()) for locale in locales],
            "assignee": [("me", _("Me")), ("none", _("Nobody"))]
            + [(str(pk), name) for pk, name in translators],
            "content_type": content_type_choices(self.queryset),
            "section": section_choices(),
        }
        for name, field_choices in choices.items():
            self.filters[name].extra["choices"] = field_choices
        self.filters["job"].extra["choices"] = job_choices(self.request.user)

    def filter_job(self, queryset, name, value):
        return filter_by_job(queryset, self.request.user, value)

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee_id=self.request.user.pk)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=value)
