"""Fixtures for the editorial roles: a small English and French tree and one user per role.

Users are put in the groups that the migration ngo_site.0003_editorial_roles created; nothing
here grants a permission, so the tests check what the roles really allow.
"""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from ngo_site import roles

PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_user(db, django_user_model):
    def make(group_name, username=None):
        from django.contrib.auth.models import Group

        username = username or group_name.lower().replace(" ", "_")
        user = django_user_model.objects.create_user(
            username=username, email=f"{username}@example.org", password=PASSWORD
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture
def editor(make_user):
    return make_user(roles.COMMUNICATIONS_EDITORS)


@pytest.fixture
def moderator(make_user):
    return make_user(roles.MODERATORS)


@pytest.fixture
def translator(make_user):
    return make_user(roles.TRANSLATORS)


@pytest.fixture
def administrator(make_user):
    return make_user(roles.ADMINISTRATORS)


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def trees(home_page, french):
    """The English home with a published page, and its French translation with one too.

    The French home is created the way wagtail-localize does (copy_for_translation), which
    is when ngo_site.roles grants the translators their permissions on it.
    """
    from tests.site.factories import StandardPageFactory

    english_page = StandardPageFactory(parent=home_page, title="About us", slug="about")
    french_home = home_page.copy_for_translation(french)
    french_home.save_revision().publish()
    french_page = english_page.copy_for_translation(french)
    french_page.title = "À propos"
    french_page.save_revision().publish()
    return {
        "en_home": home_page,
        "en_page": english_page,
        "fr_home": french_home,
        "fr_page": french_page.specific,
    }


def standard_page_form(title, slug, **extra):
    """The POST data of Wagtail's page form for a StandardPage."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "",
            "body": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )
