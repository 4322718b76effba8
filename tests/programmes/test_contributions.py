"""Projects a programme contributes to (`programmes.ProjectContribution`): editors add them in the
project's editor, the project's own programme is refused, translations carry them, and visitors
see them on both pages in their language. The demo's contributions (Focal Cities) are checked
in tests/programmes/test_pages.py and tests/localisation/test_french_site.py."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from ngo_site import roles
from programmes.models import ProjectContribution, ProjectPage
from tests.programmes.factories import (
    ProgrammeIndexPageFactory,
    ProgrammePageFactory,
    ProjectContributionFactory,
    ProjectPageFactory,
    publish_translation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(home_page):
    index = ProgrammeIndexPageFactory(parent=home_page)
    urban = ProgrammePageFactory(parent=index, title="Urban Policies")
    statistics = ProgrammePageFactory(parent=index, title="Statistics")
    law = ProgrammePageFactory(parent=index, title="Law")
    project = ProjectPageFactory(parent=urban, title="Focal Cities")
    return {
        "index": index,
        "urban": urban,
        "statistics": statistics,
        "law": law,
        "project": project,
    }


def user_with_role(django_user_model, role):
    user = django_user_model.objects.create_user(username=role.lower().replace(" ", "_"))
    user.groups.add(Group.objects.get(name=role))
    return user


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def contributed_cards(soup):
    return soup.select("#contributed-projects-heading + ul .card")


def test_both_pages_show_the_contribution_and_a_draft_project_is_not_listed(client, tree):
    project, statistics = tree["project"], tree["statistics"]
    ProjectContributionFactory(
        project=project, programme=statistics, contribution="Figures for the organisations."
    )
    draft = ProjectPageFactory(parent=tree["law"], title="Not published yet", publish=False)
    draft.live = False
    draft.save()
    ProjectContributionFactory(project=draft, programme=statistics)

    cards = contributed_cards(soup_of(client, statistics.url))
    assert [card.h3.a["href"] for card in cards] == [project.url]
    assert "Figures for the organisations." in cards[0].select_one(".card__note").get_text()

    contributions = soup_of(client, project.url).select("#contributions-heading + ul > li")
    assert [(item.h3.a.get_text(), item.h3.a["href"]) for item in contributions] == [
        ("Statistics", statistics.url)
    ]
    assert contributions[0].p.get_text() == "Figures for the organisations."
    # Statistics' own page has no project of its own: only the section of contributed ones.
    assert soup_of(client, statistics.url).find(id="projects-heading") is None


def test_a_french_programme_lists_the_original_project_until_it_is_translated(client, tree, french):
    ProjectContributionFactory(
        project=tree["project"], programme=tree["statistics"], contribution="Figures."
    )
    french_statistics = publish_translation(tree["statistics"], french, title="Statistiques")

    cards = contributed_cards(soup_of(client, french_statistics.url))
    assert [card.h3.a["href"] for card in cards] == [tree["project"].url]  # the English page

    french_project = publish_translation(tree["project"], french, title="Villes focales")
    cards = contributed_cards(soup_of(client, french_statistics.url))
    assert [card.h3.a.get_text() for card in cards] == ["Villes focales"]
    assert cards[0].h3.a["href"] == french_project.url


def project_form_data(project, contributions, action=None):
    """What the project editor posts: the page as it is, with these contributing programmes
    (pairs of programme and text)."""
    data = {
        "title": project.title,
        "slug": project.slug,
        "summary": project.summary,
        "body": streamfield([("paragraph", rich_text("<p>Cities and their workers.</p>"))]),
        "places": inline_formset([]),
        "contributions": inline_formset(
            [
                {"programme": str(programme.pk), "contribution": text}
                for programme, text in contributions
            ]
        ),
        "related_resources": inline_formset([]),
        "related_links": streamfield([]),
        "comments": inline_formset([]),
    }
    if action:
        data[action] = action
    return nested_form_data(data)


def test_an_editor_adds_a_contribution_and_publishing_shows_it(client, tree, django_user_model):
    project, law = tree["project"], tree["law"]
    edit_url = reverse("wagtailadmin_pages:edit", args=[project.pk])

    client.force_login(user_with_role(django_user_model, roles.COMMUNICATIONS_EDITORS))
    response = client.post(edit_url, project_form_data(project, [(law, "Legal education.")]))
    assert response.status_code == 302
    # A draft: visitors do not see it yet.
    assert not ProjectContribution.objects.filter(project=project).exists()
    draft = ProjectPage.objects.get(pk=project.pk).get_latest_revision_as_object()
    assert [(row.programme_id, row.contribution) for row in draft.contributions.all()] == [
        (law.pk, "Legal education.")
    ]

    client.force_login(user_with_role(django_user_model, roles.MODERATORS))
    form = client.get(edit_url)
    assert 'value="Legal education."' in form.content.decode()
    response = client.post(
        edit_url,
        project_form_data(project, [(law, "Legal education.")], action="action-publish"),
    )
    assert response.status_code == 302
    client.logout()

    contributions = soup_of(client, project.url).select("#contributions-heading + ul > li")
    assert [item.h3.a["href"] for item in contributions] == [law.url]
    cards = contributed_cards(soup_of(client, law.url))
    assert [card.h3.a["href"] for card in cards] == [project.url]
    assert "Legal education." in cards[0].get_text()


def test_the_projects_own_programme_or_a_programme_twice_is_a_form_error(
    client, tree, django_user_model
):
    project, urban, law = tree["project"], tree["urban"], tree["law"]
    edit_url = reverse("wagtailadmin_pages:edit", args=[project.pk])
    client.force_login(user_with_role(django_user_model, roles.MODERATORS))

    response = client.post(
        edit_url,
        project_form_data(project, [(urban, "Our own work.")], action="action-publish"),
    )
    assert response.status_code == 200  # the form again, with the message beside the field
    assert "Choose another programme that takes part in the project." in response.content.decode()

    response = client.post(
        edit_url,
        project_form_data(project, [(law, "Once."), (law, "Twice.")], action="action-publish"),
    )
    assert response.status_code == 200
    assert "is already listed: list each programme once." in response.content.decode()

    assert not ProjectContribution.objects.exists()
    latest = ProjectPage.objects.get(pk=project.pk).get_latest_revision()
    assert latest.content["contributions"] == []


def test_translating_the_project_points_its_contributions_to_the_french_programmes(
    client, tree, french, django_user_model
):
    from wagtail_localize.models import Translation

    project, statistics, law = tree["project"], tree["statistics"], tree["law"]
    ProjectContributionFactory(project=project, programme=statistics, contribution="Figures.")
    ProjectContributionFactory(project=project, programme=law, contribution="Legal education.")
    publish_translation(tree["urban"], french, title="Politiques urbaines")
    french_statistics = publish_translation(statistics, french, title="Statistiques")
    # Law has no French version yet.

    client.force_login(user_with_role(django_user_model, roles.MODERATORS))
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[project.pk]),
        {"locales": [french.pk]},
    )
    assert response.status_code == 302
    french_project = ProjectPage.objects.get(translation_key=project.translation_key, locale=french)
    # The translation editor shows it, the rows' texts and programmes among its segments.
    editor = client.get(response["Location"])
    assert editor.status_code == 200
    assert "Legal education." in editor.content.decode()
    rows = list(french_project.contributions.select_related("programme"))
    assert [(row.programme_id, row.locale_id) for row in rows] == [
        (french_statistics.pk, french.pk),
        (law.get_translation(french).pk, french.pk),
    ]
    # Law had no French: wagtail-localize started its translation with the project's, as a draft
    # (a related object), which visitors do not see.
    assert not rows[1].programme.live
    # The texts are strings of the translation, for the translators.
    po = Translation.objects.get(source__object_id=project.translation_key).export_po()
    assert {"Figures.", "Legal education."} <= {entry.msgid for entry in po}

    french_project.save_revision().publish()
    client.logout()
    cards = contributed_cards(soup_of(client, french_statistics.url))
    assert [card.h3.a["href"] for card in cards] == [french_project.url]
    contributions = soup_of(client, french_project.url).select("#contributions-heading + ul > li")
    # Law is named as it is published: in English until its French is.
    assert [item.h3.a["href"] for item in contributions] == [french_statistics.url, law.url]
