#!/usr/bin/env python
"""Django's command-line utility. Settings default to development (ngo_site.settings.dev)."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo_site.settings.dev")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:  # pragma: no cover - only without the virtual environment
        raise ImportError(
            "Django is not importable. Run `make demo` (it creates .venv) or activate .venv."
        ) from exc
    try:
        import ngo_site  # noqa: F401
    except ImportError as exc:  # pragma: no cover
        raise ImportError(
            "The `site/` folder is imported as `ngo_site` through the editable install of this "
            "project (pyproject.toml [tool.setuptools] package-dir). Run `make install`."
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
