"""The demo as a visitor finds it (issue 26): the site search answers "internship" and "stage"
with the partnerships page whose FAQ answers them, and the FAQ links to the contact form."""

from bs4 import BeautifulSoup

from tests.conftest import SHARED_DEMO

pytestmark = SHARED_DEMO


def found(client, path, query):
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    return [page.url for page in response.context["page_obj"].object_list]


def test_the_demo_search_finds_the_faq_on_internships_in_both_languages(client, demo_content):
    english = found(client, "/en/search/", "internship")
    french = found(client, "/fr/search/", "stage")
    assert any("/en/partnerships/" in url for url in english), english
    assert any(url.startswith("/fr/") and "partenariat" in url for url in french), french


def test_the_demo_faq_links_to_the_contact_form(client, demo_content):
    partnerships = found(client, "/en/search/", "internship")[0]
    soup = BeautifulSoup(client.get(partnerships).content, "html.parser")
    link = soup.select_one(".faq .faq__contact a")
    assert link["href"] == "/en/contact/"
    assert client.get(link["href"]).status_code == 200
