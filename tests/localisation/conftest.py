"""The editorial roles' users and page trees (tests/editorial/conftest.py), for the translation
tests: translators, moderators and editors in the real groups of ngo_site.roles."""

from tests.editorial.conftest import (  # noqa: F401 (fixtures, found by pytest here)
    administrator,
    client_for,
    editor,
    make_user,
    moderator,
    translator,
    trees,
)
