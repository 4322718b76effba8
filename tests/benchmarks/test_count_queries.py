"""`python -m benchmarks count_queries` reports what a page costs, as the query-budget tests
measure it."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.count_queries import Command as CountQueries

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]


def test_reports_the_queries_of_the_second_request(client, home_page, footer):
    out = io.StringIO()
    call_command(CountQueries(), "/en/", stdout=out)

    match = re.fullmatch(r"\s*(\d+)\s+200\s+/en/\s*", out.getvalue())
    assert match, out.getvalue()
    client.get("/en/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/en/")
    assert int(match.group(1)) == len(queries)


def test_follows_the_root_redirect_to_a_language(home_page):
    out = io.StringIO()
    call_command(CountQueries(), "/", stdout=out)
    assert re.search(r"\d+\s+200\s+/en/", out.getvalue()), out.getvalue()
