"""The editorial roles (Django groups) and the code that grants their permissions.

Four groups, documented in docs/editors.md:

- Communications editors (Wagtail's default "Editors" group, renamed by the migration
  ngo_site.0003_editorial_roles): add and edit pages in the English tree and submit them for
  moderation (no publish permission); manage images, documents and the snippets of our apps.
- Moderators (Wagtail's own group, kept): approve or request changes, publish and unpublish
  anywhere in the page tree; the site-wide "Moderators approval" workflow asks them.
- Translators: add and edit pages in the trees of the translation languages only (every
  content language but the default: French today; never English source), edit their snippets'
  translations only, start and sync translations through wagtail-localize, never publish (they
  send for review), never delete or move pages (see ngo_site.wagtail_hooks).
- Administrators: every permission, on the whole tree and every model.

Page-tree permissions are granted on each locale's home page (the depth-2 page of that locale),
which only exists once content is loaded: `apply_roles()` is idempotent and runs from the
migration, after every `migrate` (post_migrate) and whenever a locale home page is created
(post_save on Page, so the French home that wagtail-localize creates during `load_demo` or later
in the admin is covered). It only adds permissions, with one exception: the Communications
editors never keep a permission on the root page (which would reach every locale's tree).

The functions take an `apps` registry so that the migration can run them on historical models.
"""

from django.apps import apps as global_apps

COMMUNICATIONS_EDITORS = "Communications editors"
MODERATORS = "Moderators"
TRANSLATORS = "Translators"
ADMINISTRATORS = "Administrators"
# Wagtail's data migration creates "Editors"; ours renames it (the partnerships app's
# permissions, granted to "Editors" by partnerships.0002, follow the group).
WAGTAIL_EDITORS = "Editors"
ROLE_NAMES = (COMMUNICATIONS_EDITORS, MODERATORS, TRANSLATORS, ADMINISTRATORS)

# The apps whose models (snippets, images, documents) editors manage.
CONTENT_APPS = ("ngo_site", "programmes", "resources", "partnerships")
# Form submissions are personal data, not content: partnerships.0002 decides who sees them.
NOT_CONTENT_MODELS = {
    ("partnerships", "contactsubmission"),
    ("partnerships", "newslettersubscriber"),
}


def source_language():
    from django.conf import settings

    return settings.LANGUAGE_CODE


def translation_languages():
    """The languages translators work in: every content language but the source language,
    read from the settings when permissions are applied, so that adding a language to
    WAGTAIL_CONTENT_LANGUAGES and running `migrate` is enough (docs/localisation.md)."""
    from django.conf import settings

    return tuple(
        code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != source_language()
    )


ALL_PAGE_PERMISSIONS = (
    "add_page",
    "bulk_delete_page",
    "change_page",
    "lock_page",
    "publish_page",
    "unlock_page",
)
COLLECTION_PERMISSIONS = {
    COMMUNICATIONS_EDITORS: ("add", "change", "delete", "choose"),
    MODERATORS: ("add", "change", "delete", "choose"),
    # Translators pick the images and documents of the source page; they do not manage them.
    TRANSLATORS: ("choose",),
    ADMINISTRATORS: ("add", "change", "delete", "choose"),
}
# No "publish_page": a translation goes live when a moderator approves it (docs/editors.md).
TRANSLATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page")
# Permissions earlier versions of the roles granted and the permission model now forbids:
# apply_roles() takes them back, so an upgraded site ends with the same rights as a new one.
REVOKED_PAGE_PERMISSIONS = {TRANSLATORS: ("publish_page",)}
REVOKED_MODEL_PERMISSIONS = {COMMUNICATIONS_EDITORS: (("wagtail_localize", "submit_translation"),)}


def page_permissions_by_group():
    """(language of the locale home page, page permissions) per group; None = the root page,
    so every locale's tree."""
    return {
        COMMUNICATIONS_EDITORS: [(source_language(), ("add_page", "change_page"))],
        MODERATORS: [
            (None, ("add_page", "change_page", "lock_page", "publish_page", "unlock_page"))
        ],
        TRANSLATORS: [
            (language, TRANSLATOR_PAGE_PERMISSIONS) for language in translation_languages()
        ],
        ADMINISTRATORS: [(None, ALL_PAGE_PERMISSIONS)],
    }


def _content_models(apps):
    for label in CONTENT_APPS:
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in app_config.get_models():
            meta = model._meta
            is_page = any(field.name == "page_ptr" for field in meta.fields)
            if is_page or (meta.app_label, meta.model_name) in NOT_CONTENT_MODELS:
                continue
            yield meta.app_label, meta.model_name


def model_permissions(apps):
    """{group name: [(app_label, codename), ...]} of the Django (model) permissions."""
    content = [
        (app_label, f"{action}_{model}")
        for app_label, model in _content_models(apps)
        for action in ("add", "change", "delete", "view")
    ]
    # Translators edit translatable snippets; the before_edit_snippet hook keeps them to the
    # French ones. They never create or delete snippets (wagtail-localize creates translations).
    translatable_change = [
        (app_label, codename) for app_label, codename in content if codename.startswith("change_")
    ]
    return {
        # Editors write the English source; translations are started by translators (the queue
        # lists every published English page without French).
        COMMUNICATIONS_EDITORS: [("wagtailadmin", "access_admin"), *content],
        MODERATORS: [
            ("wagtailadmin", "access_admin"),
            ("wagtail_localize", "submit_translation"),
            *content,
            # The redirects and search promotions menus, and Reports > Site history.
            *_crud("wagtailredirects", "redirect"),
            *_crud("wagtailsearchpromotions", "searchpromotion"),
        ],
        TRANSLATORS: [
            ("wagtailadmin", "access_admin"),
            ("wagtail_localize", "submit_translation"),
            *translatable_change,
        ],
        ADMINISTRATORS: None,  # every permission
    }


def _crud(app_label, model):
    return [(app_label, f"{action}_{model}") for action in ("add", "change", "delete", "view")]


def ensure_groups(apps=global_apps):
    """Create the role groups (renaming Wagtail's "Editors") and return them by name."""
    Group = apps.get_model("auth", "Group")
    if not Group.objects.filter(name=COMMUNICATIONS_EDITORS).exists():
        Group.objects.filter(name=WAGTAIL_EDITORS).update(name=COMMUNICATIONS_EDITORS)
    return {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_NAMES}


def locale_home_pages(apps, language_code):
    """The depth-2 pages of a locale (its home pages), or the root page for None."""
    Page = apps.get_model("wagtailcore", "Page")
    if language_code is None:
        return Page.objects.filter(depth=1)
    return Page.objects.filter(depth=2, locale__language_code=language_code)


def apply_page_permissions(apps=global_apps, groups=None):
    groups = groups or ensure_groups(apps)
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    permissions_by_codename = {
        permission.codename: permission
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=ALL_PAGE_PERMISSIONS
        )
    }
    for name, grants in page_permissions_by_group().items():
        for language_code, codenames in grants:
            for page in locale_home_pages(apps, language_code):
                for codename in codenames:
                    if codename in permissions_by_codename:
                        GroupPagePermission.objects.get_or_create(
                            group=groups[name],
                            page_id=page.pk,
                            permission=permissions_by_codename[codename],
                        )
    # Wagtail gives its Editors group add/change on the root page, i.e. every locale: editors
    # edit the English tree only.
    GroupPagePermission.objects.filter(group=groups[COMMUNICATIONS_EDITORS], page__depth=1).delete()
    for name, codenames in REVOKED_PAGE_PERMISSIONS.items():
        GroupPagePermission.objects.filter(
            group=groups[name], permission__codename__in=codenames
        ).delete()


def apply_roles(apps=global_apps):
    """Create the groups and grant every permission of the roles. Idempotent."""
    groups = ensure_groups(apps)
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in model_permissions(apps).items():
        if wanted is None:
            permissions = Permission.objects.all()
        else:
            permissions = Permission.objects.none()
            for app_label, codename in wanted:
                permissions |= Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
        groups[name].permissions.add(*permissions)
    for name, revoked in REVOKED_MODEL_PERMISSIONS.items():
        for app_label, codename in revoked:
            groups[name].permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
    apply_collection_permissions(apps, groups)
    apply_page_permissions(apps, groups)
    ensure_moderation_workflow(apps, groups)
    return groups


MODERATION_WORKFLOW = "Moderators approval"


def ensure_moderation_workflow(apps, groups):
    """One workflow on the root page (so the whole site, every locale): Moderators approve.

    Wagtail's migration 0048 creates it from the publish permissions of its default groups;
    this makes sure it exists, is active and asks the Moderators and the Administrators.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    assigned = WorkflowPage.objects.filter(page=root).select_related("workflow").first()
    if assigned is not None:
        workflow = assigned.workflow
    else:
        workflow, _ = Workflow.objects.get_or_create(name=MODERATION_WORKFLOW)
        WorkflowPage.objects.create(page=root, workflow=workflow)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    task_ids = WorkflowTask.objects.filter(workflow=workflow).values_list("task_id", flat=True)
    task = GroupApprovalTask.objects.filter(pk__in=task_ids).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=MODERATION_WORKFLOW, content_type=content_type, active=True
        )
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=len(task_ids))
    task.groups.add(groups[MODERATORS], groups[ADMINISTRATORS])


def apply_collection_permissions(apps, groups):
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for name, actions in COLLECTION_PERMISSIONS.items():
        for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            for action in actions:
                permission = Permission.objects.filter(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                ).first()
                if permission is not None:
                    GroupCollectionPermission.objects.get_or_create(
                        group=groups[name], collection=root, permission=permission
                    )


# --- questions the admin hooks ask ---------------------------------------------------------


# The permission model (docs/editors.md, "Who may do what, in which language"): Wagtail's page
# permissions already say it for pages, per locale tree; these answer the same questions for
# snippets and wagtail-localize's translations, whose permissions are per model only.


def _role_names(user):
    if not user.is_active or not user.is_authenticated:
        return set()
    return set(user.groups.values_list("name", flat=True))


def is_translator_only(user):
    """A translator with no other role: kept to the French tree and French snippets."""
    if not user.is_authenticated or user.is_superuser:
        return False
    names = _role_names(user)
    return TRANSLATORS in names and not names & {COMMUNICATIONS_EDITORS, MODERATORS, ADMINISTRATORS}


def may_approve(user):
    """Moderators and administrators approve (publish) content in every language."""
    if not user.is_active or not user.is_authenticated:
        return False
    return user.is_superuser or bool(_role_names(user) & {MODERATORS, ADMINISTRATORS})


def editable_languages(user):
    """The content languages whose pages and snippets the user may create and change."""
    from django.conf import settings

    every = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    if may_approve(user):
        return every
    names = _role_names(user)
    languages = set()
    if COMMUNICATIONS_EDITORS in names:
        languages.add(source_language())
    if TRANSLATORS in names:
        languages.update(translation_languages())
    return languages & every


def can_change(user, instance):
    """May the user change this page or snippet (a draft, never publishing it)?"""
    from wagtail.models import Page
    from wagtail.snippets.permissions import user_can_edit_snippet_type

    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_edit()
    locale = getattr(instance, "locale", None)
    if locale is not None and locale.language_code not in editable_languages(user):
        return False
    return user_can_edit_snippet_type(user, type(instance))


def can_publish(user, instance):
    """May the user make this page or snippet's content live? For a translated snippet (no
    drafts: saving is publishing), only those who approve may."""
    from wagtail.models import Page

    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_publish()
    if not can_change(user, instance):
        return False
    locale = getattr(instance, "locale", None)
    return locale is None or locale.language_code == source_language() or may_approve(user)


# --- signal receivers (connected in ngo_site.apps) -----------------------------------------


def grant_on_new_locale_home(sender, instance, created, raw=False, **kwargs):
    from wagtail.models import Page

    if created and not raw and isinstance(instance, Page) and instance.depth == 2:
        apply_page_permissions()


def apply_roles_after_migrate(sender, app_config=None, using="default", **kwargs):
    # post_migrate is sent once per app, ours first (INSTALLED_APPS order): create every app's
    # permissions now so that models added by later migrations are granted too.
    from django.contrib.auth.management import create_permissions
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    if app_config is None or app_config.label != "ngo_site":
        return
    # Not when the roles' migration is unapplied (e.g. after `migrate ngo_site 0002`).
    applied = MigrationRecorder(connections[using]).applied_migrations()
    if ("ngo_site", "0003_editorial_roles") not in applied:
        return
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    apply_roles()
