"""The hostile-requests fuzz (issue 25), bounded: every URL pattern of the site and the demo's
pages, with hostile methods, charsets, multipart bodies, headers, cookies, hosts, paths and
query strings (benchmarks/hostile_requests.py), through Django's test client with its CSRF
checks on, anonymous and as each editorial role. No answer is a 5xx, no error page is Django's
or gunicorn's, and the log holds no traceback.

HOSTILE_REQUESTS sets the number (default 800: about 20 s on one idle core); `make fuzz` sends
20,000 to gunicorn with the production settings (scripts/fuzz).
"""

import os
import random
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from benchmarks import hostile_requests
from ngo_site import roles
from tests.conftest import SHARED_DEMO

pytestmark = SHARED_DEMO

REQUESTS = int(os.environ.get("HOSTILE_REQUESTS", "800"))


@pytest.fixture
def sessions():
    """A session key for each editorial role ("" is anonymous)."""
    keys = {"": ""}
    for name in roles.ROLE_NAMES:
        user = get_user_model().objects.create_user(
            username=f"fuzz-{name.lower().replace(' ', '-')}", password="fuzz-password"
        )
        user.groups.add(Group.objects.get(name=name))
        client = Client()
        client.force_login(user)
        keys[name] = client.cookies["sessionid"].value
    return keys


def send(client, request, session_key):
    headers = hostile_requests.as_wsgi_headers(hostile_requests.final_headers(request, session_key))
    client.cookies.clear()
    extra = {"content_type": request.content_type} if request.body or request.content_type else {}
    return client.generic(
        request.method, request.target, data=request.body, headers=headers, **extra
    )


def test_the_url_walk_covers_every_view_of_the_site(shared_demo):
    templates, skipped = hostile_requests.url_templates()
    names = {template.name for template in templates}

    # Public views, the admin (Wagtail's and ours), documents, private images, the health check.
    for name in ("health", "search", "contact", "newsletter_signup", "set_language", "sitemap"):
        assert name in names
    for name in ("wagtailadmin_home", "wagtailadmin_login", "wagtailadmin_pages:edit"):
        assert name in names
    assert {"wagtaildocs_serve", "private_image", "translation_queue"} & names
    assert len(templates) > 300
    # Wagtail's catch-all (its pages are fuzzed from the database) and a regex of the admin.
    assert skipped <= 3


def test_hostile_requests_never_get_a_server_error_or_a_foreign_error_page(
    shared_demo, sessions, capfd
):
    urls, _skipped = hostile_requests.site_urls(random.Random(25), page_limit=200, per_template=1)
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    statuses, failures = Counter(), []

    for request in hostile_requests.generate(urls, list(sessions), REQUESTS):
        response = send(client, request, sessions[request.role])
        statuses[hostile_requests.status_class(response.status_code)] += 1
        body = b"" if getattr(response, "streaming", False) else response.content
        foreign = hostile_requests.foreign_error_page(response.status_code, body)
        if response.status_code >= 500 or foreign:
            failures.append(f"{response.status_code} {foreign} {request.describe()}")

    log = capfd.readouterr().err
    assert not failures, f"{len(failures)} of {REQUESTS}: " + "\n".join(failures[:20])
    assert "Traceback" not in log, log[log.index("Traceback") - 2000 :][:6000]
    # The generated requests (after the known cases, each refused on purpose) reached past the
    # error pages: pages were served, redirects and refusals made.
    generated = REQUESTS - len(list(hostile_requests.known_cases(list(sessions))))
    assert statuses["2xx"] > generated / 10, statuses
    assert statuses["4xx"] > generated / 10, statuses
