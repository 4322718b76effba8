"""The core (site/, import name ngo_site, translation queue included) imports no domain app: the
domain apps register what the core needs (docs/architecture.md, "How domain apps plug into the
core"). Read with `ast`, so an import inside a function counts as much as one at the top."""

import ast
from pathlib import Path

import pytest

SITE = Path(__file__).resolve().parents[2] / "site"
DOMAIN_APPS = {"programmes", "resources", "partnerships"}

# (path relative to site/, imported module) pairs that may stay. Each needs a comment saying why
# it cannot be a registration. None today.
ALLOWED = set()

# `apps.get_model("resources", …)` and friends name a domain app without importing it.
MODEL_LOOKUPS = {"get_model", "get_app_config", "import_module", "import_string", "__import__"}


def _imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in MODEL_LOOKUPS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    yield node.lineno, first.value


def core_offenders():
    offenders = []
    for path in sorted(SITE.rglob("*.py")):
        relative = path.relative_to(SITE).as_posix()
        for lineno, module in _imported_modules(ast.parse(path.read_text(), str(path))):
            if module.split(".")[0] in DOMAIN_APPS and (relative, module) not in ALLOWED:
                offenders.append(f"site/{relative}:{lineno} imports {module}")
    return offenders


def test_the_core_imports_no_domain_app():
    offenders = core_offenders()
    assert not offenders, "the core imports a domain app:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source",
    [
        "from partnerships.blocks import FAQBlock",
        "def f():\n    from programmes.queries import chosen_programmes",
        "import resources.index",
        "apps.get_model('resources', 'ResourcePage')",
        "import_string('partnerships.blocks.body_blocks')",
    ],
)
def test_the_check_sees_every_form_of_import(source):
    modules = [module for _line, module in _imported_modules(ast.parse(source))]
    assert modules and modules[0].split(".")[0] in DOMAIN_APPS


def test_the_check_ignores_the_core_and_relative_imports():
    source = "from . import resources\nfrom ngo_site.blocks import LinkBlock\nimport wagtail"
    modules = [module for _line, module in _imported_modules(ast.parse(source))]
    assert all(module.split(".")[0] not in DOMAIN_APPS for module in modules)
