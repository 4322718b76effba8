"""Benchmarks and measuring tools for developers: not part of the installed project.

`pip install -e .` installs only the packages listed in pyproject.toml ([tool.setuptools]
packages); this folder is not one of them, and no app imports from it. Run them from the
repository's root with `python -m benchmarks NAME [options]` (benchmarks/__main__.py) and the
settings to measure; `make bench` does (docs/benchmarks.md):

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 DJANGO_SETTINGS_MODULE=ngo_site.settings.test \\
        .venv/bin/python -m benchmarks library --setup --resources 10000
    DJANGO_SETTINGS_MODULE=ngo_site.settings.test \\
        .venv/bin/python -m benchmarks translation_queue --items 5000
    .venv/bin/python -m benchmarks count_queries [URL ...]

    library                 the library benchmark (its generator and request mix: library_workload)
    translation_queue       the translation queue with many items (translation_queue_data, also
                            used by the queue's query-count test)
    count_queries           the SQL queries of an anonymous visit to each page

Each is a Django management command class (`Command`) run outside manage.py: the same options,
`--help`, `--verbosity` and system checks, and exit status 1 when a goal is missed. Tests call
them with `call_command(Command(), ...)`.
"""
