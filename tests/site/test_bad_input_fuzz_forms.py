"""Generated bad input to the forms, the newsletter links, sitemaps, health check and the
language redirect: no 5xx.

The strategy, the site and the number of requests are those of test_bad_input_fuzz.py; this
group has a module of its own so that pytest-xdist runs it beside the others.
"""

import pytest

from tests.site.test_bad_input_fuzz import send_generated_requests, site  # noqa: F401

pytestmark = pytest.mark.django_db


def test_generated_requests_to_forms_and_the_rest_never_get_a_server_error(client, site):  # noqa: F811
    send_generated_requests(client, site["forms and the rest"], site["terms"])
