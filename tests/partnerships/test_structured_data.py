"""schema.org FAQPage JSON-LD: built from the FAQ snippets, valid whatever the answers hold."""

import json

import pytest
from bs4 import BeautifulSoup

from partnerships.structured_data import faq_page, json_ld_script, plain_text
from tests.partnerships.factories import (
    FAQGroupFactory,
    FAQQuestionFactory,
    PartnershipsPageFactory,
    faq_block,
)
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

# What an editor could type into the rich-text editor: Wagtail stores it HTML-escaped.
TRICKY_QUESTION = 'What does "no private money" mean </script><script>alert(1)</script>?'
TRICKY_ANSWER = (
    '<p>It means <b>"none"</b> &amp; <a href="https://example.org/">nothing</a>: '
    "&lt;/script&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; stays text.</p>"
    "<ul><li>Item “one”</li><li>Item 'two'</li></ul>"
)


def json_ld_scripts(html):
    soup = BeautifulSoup(html, "html.parser")
    return soup.find_all("script", type="application/ld+json")


@pytest.fixture
def tricky_faq(english):
    group = FAQGroupFactory(questions=2)
    FAQQuestionFactory(group=group, question=TRICKY_QUESTION, answer=TRICKY_ANSWER)
    return group


def test_page_carries_one_faq_page_listing_every_question(client, home_page, tricky_faq):
    page = PartnershipsPageFactory(parent=home_page, body=[faq_block(tricky_faq)])

    html = client.get(page.url).content.decode()

    scripts = json_ld_scripts(html)
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "FAQPage"
    questions = list(tricky_faq.questions.order_by("sort_order"))
    assert [entity["name"] for entity in data["mainEntity"]] == [q.question for q in questions]
    for entity in data["mainEntity"]:
        assert entity["@type"] == "Question"
        assert entity["acceptedAnswer"]["@type"] == "Answer"
    tricky = data["mainEntity"][-1]
    assert tricky["name"] == TRICKY_QUESTION
    # Plain text: no markup, entities decoded, one line per paragraph or list item.
    assert tricky["acceptedAnswer"]["text"] == (
        "It means \"none\" & nothing: </script><script>alert('x')</script> stays text.\n"
        "Item “one”\nItem 'two'"
    )


def test_answers_cannot_end_the_script_element(client, home_page, tricky_faq):
    page = PartnershipsPageFactory(parent=home_page, body=[faq_block(tricky_faq)])

    html = client.get(page.url).content.decode()

    start = html.index('<script type="application/ld+json">')
    end = html.index("</script>", start)
    payload = html[start + len('<script type="application/ld+json">') : end]
    assert "<" not in payload and ">" not in payload
    json.loads(payload)  # the whole object sits before the first </script>
    # Nor can the question's text in the accordion: every script is the JSON-LD or a file.
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("type") == "application/ld+json" or script.get("src"), script


def test_several_faq_blocks_make_one_faq_page(client, home_page, english):
    first = FAQGroupFactory(title="About partnerships", questions=2)
    second = FAQGroupFactory(title="About the newsletter", questions=3)
    page = StandardPageFactory(
        parent=home_page, title="Help", body=[faq_block(first), faq_block(second)]
    )

    scripts = json_ld_scripts(client.get(page.url).content.decode())

    assert len(scripts) == 1
    names = [entity["name"] for entity in json.loads(scripts[0].string)["mainEntity"]]
    expected = [q.question for group in (first, second) for q in group.questions.all()]
    assert names == expected


def test_page_without_faq_has_no_faq_page(client, home_page, english):
    page = PartnershipsPageFactory(parent=home_page)

    assert json_ld_scripts(client.get(page.url).content.decode()) == []


def test_plain_text_of_rich_text():
    assert plain_text("<p>One &amp; two</p><p>Three<br/>four</p>") == "One & two\nThree\nfour"
    assert plain_text("") == ""


def test_json_ld_script_escapes_markup_characters():
    script = json_ld_script({"text": "a </script> & <b>"})
    body = str(script).removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(body) == {"text": "a </script> & <b>"}
    assert "<" not in body and "&" not in body


def test_faq_page_without_questions_is_still_valid():
    assert faq_page([])["mainEntity"] == []
