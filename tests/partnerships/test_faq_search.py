"""The site search finds a page by the FAQ it shows (issue 26): "internship" in English and
"stage" in French find the partnerships page whose FAQ answers them, in the visitor's language,
and an edit of the FAQ is searched at once."""

import pytest

from tests.partnerships.factories import (
    FAQGroupFactory,
    FAQQuestionFactory,
    PartnershipsPageFactory,
    faq_block,
)

pytestmark = pytest.mark.django_db


def found(client, path, query):
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    return [page.url for page in response.context["page_obj"].object_list]


@pytest.fixture
def pages(home_page, french, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        faq = FAQGroupFactory(questions=0)
        question = FAQQuestionFactory(
            group=faq,
            question="Does the network offer internships?",
            answer="<p>We have no internship programme; our members sometimes host interns.</p>",
        )
        french_home = home_page.copy_for_translation(french)
        french_home.slug = "accueil"
        french_home.save_revision().publish()
        english = PartnershipsPageFactory(parent=home_page, body=[faq_block(faq)])
        # The page is translated before its FAQ is, as the demo and translators often do: the
        # French page still points at the English FAQ, and shows its French translation.
        french_page = english.copy_for_translation(french)
        french_page.title = "Partenariats"
        french_page.slug = "partenariats"
        french_page.save_revision().publish()
        french_page.refresh_from_db()
        french_faq = FAQGroupFactory(
            locale=french,
            translation_key=faq.translation_key,
            title="Questions fréquentes",
            questions=0,
        )
        FAQQuestionFactory(
            group=french_faq,
            translation_key=question.translation_key,
            question="Le réseau propose-t-il des stages ?",
            answer="<p>Nous n’avons pas de programme de stage ; nos membres accueillent parfois "
            "des stagiaires.</p>",
        )
    return {"english": english, "french": french_page, "question": question}


def test_internship_finds_the_english_faq_and_stage_the_french_one(client, pages):
    assert found(client, "/en/search/", "internship") == [pages["english"].url]
    assert found(client, "/en/search/", "interns") == [pages["english"].url]
    assert found(client, "/fr/search/", "stage") == [pages["french"].url]
    assert found(client, "/fr/search/", "stagiaire") == [pages["french"].url]
    # Each language finds its own FAQ's words only.
    assert found(client, "/fr/search/", "internship") == []
    assert found(client, "/en/search/", "stagiaires") == []


def test_an_edited_answer_is_searched_at_once(client, pages, django_capture_on_commit_callbacks):
    assert found(client, "/en/search/", "volunteering") == []
    with django_capture_on_commit_callbacks(execute=True):
        question = pages["question"]
        question.answer = "<p>We offer volunteering with our members instead.</p>"
        question.save()
    assert found(client, "/en/search/", "volunteering") == [pages["english"].url]
    assert found(client, "/en/search/", "internship") == [pages["english"].url]  # the question
