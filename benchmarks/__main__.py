"""`python -m benchmarks NAME [options]`: run benchmarks/NAME.py's Command with Django set up.

Settings default to development, as manage.py's do; DJANGO_SETTINGS_MODULE overrides them.
`python -m benchmarks` alone lists the names.
"""

import importlib
import os
import sys

COMMANDS = ("library", "translation_queue", "count_queries")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in COMMANDS:
        names = ", ".join(COMMANDS)
        print(f"usage: python -m benchmarks {{{names}}} [options] (--help for each)")
        return 0 if not argv or argv[0] in ("-h", "--help") else 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo_site.settings.dev")
    import django

    django.setup()
    name, options = argv[0], argv[1:]
    command = importlib.import_module(f"benchmarks.{name}").Command()
    # BaseCommand names its parser "<argv[0]> <subcommand>": "python -m benchmarks NAME". A
    # CommandError (a missed goal) is printed and exits with status 1, as with manage.py.
    command.run_from_argv(["python -m benchmarks", name, *options])
    return 0


if __name__ == "__main__":
    sys.exit(main())
