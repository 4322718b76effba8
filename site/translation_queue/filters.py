"""The queue's filters, on its stored rows (QueueEntry).

By default the queue shows what needs work (NEEDS_WORK) in the user's languages
(ngo_site.roles.editable_languages): the status and language filters start on "Needs work" and
"My languages", shown as such in the filter form; "All statuses" and "All languages" show
everything (the "Show everything" link).
"""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.models import Locale

from ngo_site.roles import editable_languages

from .models import QueueEntry
from .queries import IN_PROGRESS, MISSING, OUTDATED, READY_FOR_REVIEW, STATUSES, programme_sections

# What someone still has to do something about: translate, sync, finish or approve.
NEEDS_WORK = (MISSING, OUTDATED, IN_PROGRESS, READY_FOR_REVIEW)
# Choice values of the status and language filters besides a status or a language code.
NEEDS_WORK_CHOICE = "needs_work"
MY_LANGUAGES = "mine"
ALL = "all"
# The value each filter takes when the request does not give one (or gives an empty one).
DEFAULTS = {"status": NEEDS_WORK_CHOICE, "locale": MY_LANGUAGES}
EVERYTHING = {"status": ALL, "locale": ALL}


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


def my_languages(user, codes):
    """The target languages the user writes in (ngo_site.roles.editable_languages); all of
    them for someone who may use the queue without a language of their own (a permission
    given outside the roles), so that "My languages" never hides the whole queue."""
    mine = [code for code in codes if code in editable_languages(user)]
    return mine or list(codes)


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
        label=_("Language"), method="filter_locale", empty_label=None
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_status",
        empty_label=None,
        choices=[(NEEDS_WORK_CHOICE, _("Needs work")), *STATUSES, (ALL, _("All statuses"))],
    )
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

    def __init__(self, data=None, *args, locales, translators, **kwargs):
        # A missing or empty value takes the default, so the form shows what is applied; the
        # fields' initial values are the defaults too, so Wagtail lists no active filter (and
        # "Clear filters" offers nothing) for them.
        if data is not None:
            data = data.copy()
            for name, default in DEFAULTS.items():
                if not data.get(name):
                    data[name] = default
        super().__init__(data, *args, **kwargs)
        self.locale_codes = [locale.language_code for locale in locales]
        choices = {
            "locale": [(MY_LANGUAGES, _("My languages"))]
            + [(locale.language_code, locale.get_display_name()) for locale in locales]
            + [(ALL, _("All languages"))],
            "assignee": [("me", _("Me")), ("none", _("Nobody"))]
            + [(str(pk), name) for pk, name in translators],
            "content_type": content_type_choices(self.queryset),
            "section": section_choices(),
            "job": job_choices(self.request.user),
        }
        for name, field_choices in choices.items():
            self.filters[name].extra["choices"] = field_choices
        for name, default in DEFAULTS.items():
            self.form.fields[name].initial = default

    @property
    def defaults_applied(self):
        """The names of the filters at their default value ("status", "locale")."""
        return [name for name, default in DEFAULTS.items() if self.form.data.get(name) == default]

    def filter_status(self, queryset, name, value):
        if value == ALL:
            return queryset
        if value == NEEDS_WORK_CHOICE:
            return queryset.filter(status__in=NEEDS_WORK)
        return queryset.filter(status=value)

    def filter_locale(self, queryset, name, value):
        if value == ALL:
            return queryset
        if value == MY_LANGUAGES:
            mine = my_languages(self.request.user, self.locale_codes)
            return queryset.filter(target_locale__language_code__in=mine)
        return queryset.filter(target_locale__language_code=value)

    def filter_job(self, queryset, name, value):
        return filter_by_job(queryset, self.request.user, value)

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee_id=self.request.user.pk)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=value)
