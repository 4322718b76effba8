"""The partnerships page and the blocks that place funders, the funding policy and FAQs."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ngo_site.models import CustomImage
from partnerships.models import FunderType
from tests.partnerships.factories import (
    FAQGroupFactory,
    FAQQuestionFactory,
    FunderFactory,
    FundingPolicyFactory,
    PartnershipsPageFactory,
    faq_block,
    funders_block,
    newsletter_block,
    policy_block,
    tiny_image,
)
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def texts(elements):
    return [element.get_text(" ", strip=True) for element in elements]


@pytest.fixture
def policy(english):
    return FundingPolicyFactory(
        title="We accept no funding from private companies",
        body="<p>Our board decided that we take <b>no</b> money from private companies.</p>",
    )


@pytest.fixture
def faq(english):
    group = FAQGroupFactory(title="Frequently asked questions", questions=0)
    FAQQuestionFactory(
        group=group,
        question="Does the network offer internships?",
        answer="<p>Not at the moment.</p>",
        anchor="internships",
    )
    FAQQuestionFactory(
        group=group,
        question="Can someone speak at our event?",
        answer="<p>Sometimes; ask the workers' networks first.</p>",
    )
    return group


def test_page_shows_funders_grouped_by_type_the_policy_and_the_faq(client, home_page, policy, faq):
    FunderFactory(name="Ministry of Examples", funder_type=FunderType.GOVERNMENT, sort_order=1)
    FunderFactory(name="Harbour Foundation", funder_type=FunderType.FOUNDATION, sort_order=2)
    FunderFactory(name="Fund for Decent Work", funder_type=FunderType.MULTILATERAL, sort_order=3)
    FunderFactory(name="Quay Trust", funder_type=FunderType.FOUNDATION, sort_order=0)
    page = PartnershipsPageFactory(
        parent=home_page,
        body=[funders_block("Our funders"), policy_block(policy), faq_block(faq)],
    )

    soup = soup_of(client.get(page.url))

    funders = soup.select_one("section.funders")
    assert funders.h2.get_text(strip=True) == "Our funders"
    # Groups in the fixed order of types, funders in the editors' order inside each group.
    assert texts(funders.select("h3.funders__type")) == [
        "Foundations",
        "Governments and public agencies",
        "Multilateral organisations",
    ]
    groups = [texts(group.select(".funder__name")) for group in funders.select("ul.funders__list")]
    assert groups == [
        ["Quay Trust", "Harbour Foundation"],
        ["Ministry of Examples"],
        ["Fund for Decent Work"],
    ]
    assert "Funder since 2015" in funders.get_text(" ", strip=True)
    assert funders.select_one('a[href="https://Trust.example.org/"]') is not None

    assert soup.select_one(".funding-policy h2").get_text(strip=True) == policy.title
    assert "take no money from private companies" in soup.select_one(".funding-policy").get_text(
        " ", strip=True
    )

    faq_section = soup.select_one("section.faq")
    assert faq_section.h2.get_text(strip=True) == "Frequently asked questions"
    questions = faq_section.select("details.faq__item")
    assert texts(q.summary for q in questions) == [
        "Does the network offer internships?",
        "Can someone speak at our event?",
    ]
    # Each question has its own id and a visible link to it; the anchor was made from the
    # question when the editor left it empty.
    assert [q["id"] for q in questions] == ["internships", "can-someone-speak-at-our-event"]
    for question in questions:
        link = question.select_one("a.faq__permalink, .faq__permalink a")
        assert link["href"] == f"#{question['id']}"
        assert "Link to this question" in link.get_text()
        assert not question.has_attr("open"), "questions start closed"


def test_editing_the_policy_snippet_changes_every_page_using_it(client, home_page, policy):
    partnerships = PartnershipsPageFactory(parent=home_page, body=[policy_block(policy)])
    about = StandardPageFactory(parent=home_page, title="About us", body=[policy_block(policy)])
    for page in (partnerships, about):
        assert policy.title in client.get(page.url).content.decode()

    policy.title = "No money from companies, ever"
    policy.body = "<p>The new wording of the policy.</p>"
    policy.save()

    for page in (partnerships, about):
        html = client.get(page.url).content.decode()
        assert "No money from companies, ever" in html
        assert "The new wording of the policy." in html
        assert "We accept no funding from private companies" not in html


def test_the_same_faq_twice_on_a_page_keeps_ids_unique(client, home_page, faq):
    page = StandardPageFactory(
        parent=home_page, title="Help", body=[faq_block(faq), faq_block(faq)]
    )

    soup = soup_of(client.get(page.url))

    ids = [element["id"] for element in soup.select("[id]")]
    assert len(ids) == len(set(ids)), ids
    assert "internships" in ids and "internships-2" in ids


def test_logo_carries_its_alternative_text(client, home_page, english):
    logo = tiny_image("Harbour Foundation logo")
    FunderFactory(name="Harbour Foundation", logo=logo, logo_alt_text="A lighthouse")
    FunderFactory(name="Quay Trust", logo=logo, logo_alt_text="")
    page = PartnershipsPageFactory(parent=home_page, body=[funders_block()])

    soup = soup_of(client.get(page.url))

    alts = [img.get("alt") for img in soup.select("img.funder__logo")]
    # An empty alt marks a logo that only spells the name printed next to it.
    assert alts == ["A lighthouse", ""]
    assert CustomImage.objects.count() == 1


def test_funders_block_can_list_some_types_only(client, home_page, english):
    FunderFactory(name="Harbour Foundation", funder_type=FunderType.FOUNDATION)
    FunderFactory(name="Ministry of Examples", funder_type=FunderType.GOVERNMENT)
    page = StandardPageFactory(
        parent=home_page,
        title="Public funders",
        body=[funders_block("Public funders", funder_types=[FunderType.GOVERNMENT])],
    )

    soup = soup_of(client.get(page.url))

    assert texts(soup.select(".funder__name")) == ["Ministry of Examples"]


def test_citation_note_links_to_the_chosen_page(client, home_page, english):
    library = StandardPageFactory(parent=home_page, title="Library")
    page = PartnershipsPageFactory(
        parent=home_page,
        citation_note="<p>Please cite our documents.</p>",
        citation_page=library,
    )

    soup = soup_of(client.get(page.url))

    note = soup.select_one("section.citation-note")
    assert "Please cite our documents." in note.get_text(" ", strip=True)
    assert note.select_one(f'a[href="{library.url}"]') is not None


def test_citation_note_without_a_page_has_no_link(client, home_page, english):
    page = PartnershipsPageFactory(parent=home_page, citation_note="<p>Please cite us.</p>")

    soup = soup_of(client.get(page.url))

    assert soup.select_one("section.citation-note a") is None


def test_newsletter_call_to_action_is_a_get_form_to_the_sign_up_page(client, home_page):
    page = StandardPageFactory(parent=home_page, title="News", body=[newsletter_block()])

    soup = soup_of(client.get(page.url))

    form = soup.select_one(".newsletter-cta form")
    assert form["method"] == "get" and form["action"] == "/en/newsletter/"
    email = form.select_one('input[name="email"]')
    assert email.find_parent("label") is not None, "the address field has no label"
    # No CSRF token on content pages: they stay cacheable.
    assert form.select_one('input[name="csrfmiddlewaretoken"]') is None


def test_page_queries_do_not_grow_with_funders_and_questions(client, home_page, policy):
    def count_queries(questions):
        faq = FAQGroupFactory(questions=questions)
        page = PartnershipsPageFactory(
            parent=home_page, body=[funders_block(), policy_block(policy), faq_block(faq)]
        )
        client.get(page.url)  # warm Wagtail's site and locale caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.url).status_code == 200
        page.delete()
        return len(queries)

    FunderFactory(funder_type=FunderType.GOVERNMENT)
    few = count_queries(questions=1)
    for funder_type in [*FunderType.values, *FunderType.values]:
        FunderFactory(funder_type=funder_type)
    many = count_queries(questions=12)

    assert many == few
