"""The benchmarks are a developer's tool: a top-level `benchmarks/` folder run with
`python -m benchmarks NAME` (what `make bench` runs), never installed with the project, never
imported by the apps, and no longer management commands of the apps."""

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def setuptools_config():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_the_installed_packages_leave_the_benchmarks_out():
    config = setuptools_config()
    assert not any(name.split(".")[0] == "benchmarks" for name in config["packages"])
    assert "benchmarks" not in config["package-dir"].values()


def test_no_app_imports_the_benchmarks():
    importers = []
    for folder in sorted(set(setuptools_config()["package-dir"].values())):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    names = [node.module or ""]
                else:
                    continue
                if any(name.split(".")[0] == "benchmarks" for name in names):
                    importers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert importers == []


def test_the_benchmarks_are_no_longer_management_commands():
    commands = get_commands()
    for name in ("bench_library", "bench_translation_queue", "count_queries"):
        assert name not in commands


def run_module(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment |= {"DJANGO_SETTINGS_MODULE": "ngo_site.settings.test", **env}
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.one_database
def test_python_m_benchmarks_runs_each_command_with_its_options_and_exit_status():
    listing = run_module()
    assert listing.returncode == 0
    assert "library, translation_queue, count_queries" in listing.stdout
    assert run_module("bench_library").returncode == 2

    for name, option in [
        ("library", "--resources"),
        ("translation_queue", "--items"),
        ("count_queries", "--show"),
    ]:
        helped = run_module(name, "--help")
        assert helped.returncode == 0, helped.stderr
        assert f"usage: python -m benchmarks {name}" in helped.stdout
        assert option in helped.stdout

    # A refusal (or a missed goal) is a CommandError: printed, and exit status 1 for `make bench`.
    refused = run_module("library", "--resources", "1")
    assert refused.returncode == 1
    assert "CommandError: DATABASE_URL is not set" in refused.stderr
