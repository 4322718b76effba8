"""The partnerships demo: English from partnerships.yaml, French through wagtail-localize."""

import json

from bs4 import BeautifulSoup

from partnerships.models import FAQGroup, FAQQuestion, Funder, FundingPolicy, PartnershipsPage
from tests.conftest import SHARED_DEMO

pytestmark = SHARED_DEMO


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_english_page_has_the_nine_questions_the_policy_and_funders(client, demo_content):
    soup = soup_of(client.get("/en/partnerships/"))

    questions = soup.select("details.faq__item")
    assert len(questions) == 9
    assert questions[0]["id"] == "internships"
    assert soup.select_one(".funding-policy h2").get_text(strip=True) == (
        "We accept no funding from private companies"
    )
    assert len(soup.select(".funder")) == Funder.objects.filter(locale__language_code="en").count()
    # The demo's funders are invented, and the section says so to visitors.
    funders = soup.select_one("section.funders").get_text(" ", strip=True)
    assert "Example funders: the names below are invented" in funders
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert len(data["mainEntity"]) == 9
    nav = [a.get_text(strip=True) for a in soup.select("nav.primary-nav a")]
    assert "Partnerships" in nav


def test_french_page_shows_the_french_faq_policy_and_funders(client, demo_content):
    soup = soup_of(client.get("/fr/partenariats/"))

    assert soup.html["lang"] == "fr"
    assert soup.h1.get_text(strip=True) == "Partenariats"
    faq = soup.select_one("section.faq")
    assert faq.h2.get_text(strip=True) == "Foire aux questions"
    summaries = [summary.get_text(strip=True) for summary in faq.select("summary")]
    assert summaries[0] == "WIEGO propose-t-il des stages ?"
    assert len(summaries) == 9
    # Anchors stay the same in both languages, so a shared link keeps working.
    assert faq.select_one("details")["id"] == "internships"
    assert soup.select_one(".funding-policy h2").get_text(strip=True) == (
        "Nous n’acceptons aucun financement d’entreprises privées"
    )
    funders = soup.select_one("section.funders").get_text(" ", strip=True)
    assert "Fondation Meridian" in funders
    assert "Bailleuse·eur·s de fonds d’exemple : les noms ci-dessous ont été inventés" in funders
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["mainEntity"][0]["name"] == "WIEGO propose-t-il des stages ?"


def test_every_partnerships_snippet_has_its_french_translation(demo_content):
    for model in (Funder, FundingPolicy, FAQGroup, FAQQuestion):
        english = set(
            model.objects.filter(locale__language_code="en").values_list(
                "translation_key", flat=True
            )
        )
        french = set(
            model.objects.filter(locale__language_code="fr").values_list(
                "translation_key", flat=True
            )
        )
        assert english and english == french, model.__name__
    assert PartnershipsPage.objects.filter(locale__language_code="fr", live=True).count() == 1


def test_the_demo_home_page_carries_the_call_to_action_in_both_languages(client, demo_content):
    english = client_call_to_action(client)
    assert english is not None and "Stay informed" in english.get_text()
    soup = BeautifulSoup(client.get("/fr/").content, "html.parser")
    french = soup.select_one(".newsletter-cta")
    assert french is not None
    assert "Stay informed" not in french.get_text()
    assert french.select_one("form")["action"] == "/fr/lettre-d-information/"


def client_call_to_action(client):
    soup = BeautifulSoup(client.get("/en/").content, "html.parser")
    return soup.select_one(".newsletter-cta")
