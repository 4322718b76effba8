"""The demo library (make demo): the seed resources and enough generated ones for every facet."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def test_demo_library_has_every_facet_and_searchable_pdf_text(client, demo_content):
    soup = BeautifulSoup(client.get("/en/resources/").content, "html.parser")

    status = soup.select_one("[role=status]").get_text(" ", strip=True)
    assert int(status.split()[0]) >= 64
    for facet in ("type", "programme", "theme", "region", "language", "year"):
        assert len(soup.select(f"#facet-{facet} li")) >= 2, facet

    # "sanctuary" is only in the text of the care-systems paper's PDF.
    found = BeautifulSoup(client.get("/en/resources/", {"q": "sanctuary"}).content, "html.parser")
    titles = [a.get_text(strip=True) for a in found.select(".library-item h3 a")]
    assert titles == ["Inclusive Care Systems: Caring Cities for All"]

    practice = BeautifulSoup(
        client.get("/en/resources/protecting-migrants-from-covid-19-senegal/").content,
        "html.parser",
    )
    headings = [h.get_text(strip=True) for h in practice.select(".resource-section h2")]
    assert headings[:3] == ["Summary", "Organisations", "Partners"]
