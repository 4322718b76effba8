"""Which domain app may import which (docs/architecture.md, "How domain apps plug into the core"):
the library (resources/) depends on the programmes, the programmes on no other domain app, and
no code outside a demo package imports demo code (the CSV import used to). Read with `ast`, like
tests/site/test_core_independence.py, so an import inside a function counts as much as one at
the top, and relative imports are resolved.

Issue 24 made programmes ↔ resources one direction: what the library shows on programme and
project pages it registers with the programmes' hooks (programmes/queries.py), and the rows of
featured and related resources are its models."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# app folder → the domain apps its modules may import.
MAY_IMPORT = {
    "programmes": set(),
    "resources": {"programmes"},
    "partnerships": set(),
}
DOMAIN_APPS = set(MAY_IMPORT)
MODEL_LOOKUPS = {"get_model", "get_app_config", "import_module", "import_string", "__import__"}
# Programmes' migrations up to 0004 were written when programmes held foreign keys to resources;
# they stay as they are (a migration's history is not rewritten). From 0005 on, none.
HISTORICAL_MIGRATIONS = {
    "programmes": {"0001_initial.py", "0003_admin_help_texts.py"},
}


def module_name(app, path):
    """The dotted name of a module of `app` (an app's folder is its import name)."""
    parts = [app, *path.relative_to(ROOT / app).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree, module, is_package=False):
    """(line, dotted name) of every module `tree` imports, relative imports resolved against
    `module`, plus app labels named by `apps.get_model("app", …)` and friends."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base)
                if node.module:
                    prefix = f"{prefix}.{node.module}"
                    yield node.lineno, prefix
                for alias in node.names:
                    yield node.lineno, f"{prefix}.{alias.name}"
            else:
                yield node.lineno, node.module
                for alias in node.names:
                    yield node.lineno, f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in MODEL_LOOKUPS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    yield node.lineno, first.value


MODEL_LABEL = re.compile(r"^(\w+)\.[A-Za-z_]\w*$")
MIGRATION_NAME = re.compile(r"^\d{4}_\w+$")


def model_references(tree):
    """(line, app label) of the strings that name another app's model ("resources.ResourcePage",
    to="resources.resourcepage") or migration (a ("resources", "0015_…") dependency).

    The shared page body's block definitions (a StreamField's `block_lookup` in migrations) are
    left out: the core builds the body from every app's registered blocks (partnerships'
    snippets among them), so each body field's migration names them without the app using them.
    """
    shared_blocks = {
        id(node)
        for keyword in ast.walk(tree)
        if isinstance(keyword, ast.keyword) and keyword.arg == "block_lookup"
        for node in ast.walk(keyword.value)
    }
    for node in ast.walk(tree):
        if id(node) in shared_blocks:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            label = MODEL_LABEL.match(node.value)
            if label and label[1] in DOMAIN_APPS:
                yield node.lineno, node.value
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
            app, name = node.elts
            if (
                isinstance(app, ast.Constant)
                and app.value in DOMAIN_APPS
                and isinstance(name, ast.Constant)
                and isinstance(name.value, str)
                and MIGRATION_NAME.match(name.value)
            ):
                yield node.lineno, app.value


def app_modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        yield path, ast.parse(path.read_text(), str(path))


def _said(offenders, where):
    """Whether the import statement at `where` is reported already (for one of its names)."""
    return bool(offenders) and offenders[-1].startswith(where)


def dependency_offenders(app):
    allowed = MAY_IMPORT[app] | {app}
    offenders = []
    for path, tree in app_modules(app):
        relative = path.relative_to(ROOT).as_posix()
        is_package = path.name == "__init__.py"
        for lineno, module in imported_modules(tree, module_name(app, path), is_package):
            top = module.split(".")[0]
            where = f"{relative}:{lineno} "
            if top in DOMAIN_APPS and top not in allowed and not _said(offenders, where):
                offenders.append(f"{where}imports {module}")
        if path.parent.name == "migrations" and path.name in HISTORICAL_MIGRATIONS.get(app, ()):
            continue
        for lineno, text in model_references(tree):
            if text.split(".")[0] not in allowed:
                offenders.append(f"{relative}:{lineno} names {text!r}")
    return offenders


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_a_domain_app_imports_only_the_apps_it_depends_on(app):
    offenders = dependency_offenders(app)
    assert not offenders, f"{app} depends on an app it may not:\n" + "\n".join(offenders)


def test_programmes_depend_on_no_other_domain_app_and_resources_may_use_programmes():
    """The direction is programmes ← resources: the library imports the programmes (their pages,
    their hooks), never the other way round."""
    assert MAY_IMPORT["programmes"] == set()
    assert MAY_IMPORT["resources"] == {"programmes"}
    library_imports = {
        module
        for path, tree in app_modules("resources")
        for _line, module in imported_modules(
            tree, module_name("resources", path), path.name == "__init__.py"
        )
    }
    # The registrations of resources/wagtail_hooks.py, so that the check above is not vacuous.
    assert "programmes.queries.PROGRAMME_PAGE_REGIONS_HOOK" in library_imports


def test_no_code_outside_a_demo_package_imports_demo_code():
    """The CSV import (resources/importer.py) and the rest of each app's code use no demo module
    (ngo_site.demo, resources.demo…): demo code is there to be loaded, or deleted, on its own."""
    offenders = []
    for app in sorted(MAY_IMPORT):
        for path, tree in app_modules(app):
            if "demo" in path.relative_to(ROOT / app).parts[:-1]:
                continue
            module = module_name(app, path)
            for lineno, imported in imported_modules(tree, module, path.name == "__init__.py"):
                where = f"{path.relative_to(ROOT).as_posix()}:{lineno} "
                if "demo" in imported.split(".") and not _said(offenders, where):
                    offenders.append(f"{where}imports {imported}")
    assert not offenders, "demo code imported by the site's code:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("from resources.models import ResourcePage", "programmes.queries", "resources.models"),
        ("def f():\n    from resources import queries", "programmes.models", "resources.queries"),
        ("import resources.index", "programmes.maps", "resources.index"),
        ("apps.get_model('resources', 'ResourcePage')", "programmes.queries", "resources"),
        ("from .demo.library_content import DATA", "resources.importer", "resources.demo"),
        ("from ..demo import loader", "resources.management.x", "resources.demo.loader"),
        ("from ngo_site.demo.loader import DemoLoader", "resources.importer", "ngo_site.demo"),
    ],
)
def test_the_check_sees_every_form_of_import(source, module, expected):
    modules = [name for _line, name in imported_modules(ast.parse(source), module)]
    assert any(name.startswith(expected) for name in modules), modules


@pytest.mark.parametrize(
    "source",
    [
        'page_type = "resources.ResourcePage"',
        "ForeignKey(to='resources.resourcepage')",
        "dependencies = [('resources', '0015_programme_and_project_resources')]",
    ],
)
def test_the_check_sees_models_named_by_string(source):
    assert [text for _line, text in model_references(ast.parse(source))]


def test_the_check_ignores_prose_and_the_core():
    source = (
        '"""The library (resources.models.ProgrammeFeaturedResource) shows them."""\n'
        "from ngo_site.cards import with_card_images\nimport wagtail\n"
        'library = home.get_children().filter(slug="resources")\n'
        "body = StreamField([], block_lookup={0: ('Chooser', ('partnerships.FAQ',), {})})"
    )
    tree = ast.parse(source)
    assert not list(model_references(tree))
    assert all(
        name.split(".")[0] not in DOMAIN_APPS
        for _line, name in imported_modules(tree, "programmes.queries")
    )
