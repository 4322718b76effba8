"""Hostile HTTP requests generated from the URL resolver: the fuzz of issue 25.

Every URL pattern of the site (public views, the admin, documents, images, the language
switch…; django.urls.get_resolver, walked through its public `url_patterns` and `pattern`) is
filled with sample and hostile values of its converters, and the live pages of the database are
added (Wagtail serves them through one catch-all pattern). Each request built on one of these
URLs gets hostile variants: odd methods, bodies declared in charsets Django refuses, broken and
oversized multipart bodies, huge and repeated headers, garbage cookies, Host headers and
Accept-Language, paths and query strings with NUL bytes, invalid percent-escapes and unicode.

Used by both runs (docs/testing.md, "The hostile-requests fuzz"):
- tests/site/test_hostile_requests.py sends a bounded number through Django's test client,
  anonymous and logged in as each editorial role (part of `make test`);
- scripts/fuzz (`make fuzz`) sends FUZZ_REQUESTS of them to gunicorn with the production
  settings and the demo content, counts the status classes and whose error pages came back
  (the site's or gunicorn's), and fails on any 5xx, on an error page of gunicorn, and on a
  traceback in gunicorn's log for a client's error.

The generator is deterministic for a given seed, so that a failure can be reproduced.
"""

import random
import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

# --- URL templates from the resolver ----------------------------------------------------------

# A converter's regex (django.urls.converters, or the admin's own regexes) -> a kind of value.
KIND_OF_GROUP = [
    (re.compile(r"^(\[0-9\]\+|\\d\+)$"), "int"),
    (re.compile(r"^\[0-9a-f\]\{8\}"), "uuid"),
    (re.compile(r"^\[-a-zA-Z0-9_\]\+$"), "slug"),
    (re.compile(r"^\.[+*]$"), "path"),
]
SAMPLE_VALUES = {
    "int": ["1", "2", "3", "4", "5", "7", "10", "20"],
    "str": ["en", "fr", "1", "abc", "main", "2x", "width-400"],
    "slug": ["en", "fr", "abc", "about", "news"],
    "path": ["a", "a/b", "1"],
    "uuid": [str(uuid.UUID(int=1))],
    "choice": [],
}
HOSTILE_VALUES = {
    "int": ["0", "99999999999999999999", "2147483648", "0001", "-1", "1e3", "%00", "١٢"],
    "str": ["%00", "..", "%2e%2e", "%C3%A9" * 50, "x" * 300, "%ff", "%25", "a%0Ab", "%3Cs%3E"],
    "slug": ["%00", "-", "_", "a" * 300, "%ff"],
    "path": ["..%2F..%2Fetc%2Fpasswd", "a//b", "%00", "%ff/%fe", "a/" * 60],
    "uuid": ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "%00"],
    "choice": ["%00", "zz"],
}


@dataclass
class UrlTemplate:
    """One URL pattern: literal text and the placeholders {index} of its `kinds`."""

    name: str
    parts: list
    kinds: list = field(default_factory=list)

    def fill(self, values):
        return "/" + "".join(values[part] if isinstance(part, int) else part for part in self.parts)

    @property
    def is_admin(self):
        return bool(self.parts) and isinstance(self.parts[0], str) and self.parts[0] == "admin/"


def group_end(regex, start):
    """The index just after the group opening at `start`."""
    depth = 0
    position = start
    while position < len(regex):
        character = regex[position]
        if character == "\\":
            position += 2
            continue
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    raise ValueError(f"unbalanced regex {regex!r}")


def kind_of(group_body):
    for pattern, kind in KIND_OF_GROUP:
        if pattern.search(group_body):
            return kind
    if "|" in group_body and not re.search(r"[\\\[\](){}*+?.]", group_body.replace("|", "")):
        return "choice:" + group_body
    return "str"


def parse_regex(regex, template):
    """Appends `regex`'s literal text and its groups to `template`; False when it has regex
    syntax outside its groups that this simple reading cannot fill (then the pattern is left to
    the page URLs: it is Wagtail's catch-all)."""
    regex = regex.removeprefix("^").removesuffix("\\Z").removesuffix("$")
    position = 0
    literal = []
    while position < len(regex):
        character = regex[position]
        if character == "\\" and position + 1 < len(regex):
            literal.append(regex[position + 1])
            position += 2
        elif character == "(":
            end = group_end(regex, position)
            body = regex[position + 1 : end - 1]
            if body.startswith("?P<"):
                body = body[body.index(">") + 1 :]
            elif body.startswith("?"):
                return False
            if end < len(regex) and regex[end] in "?*+{":
                return False
            template.parts.append("".join(literal))
            literal = []
            template.parts.append(len(template.kinds))
            template.kinds.append(kind_of(body))
            position = end
        elif character in "[]?*+|{}.^$":
            return False
        else:
            literal.append(character)
            position += 1
    template.parts.append("".join(literal))
    return True


# Wagtail's /admin/failwhale/ raises an exception on purpose, to test the error reporting.
DELIBERATE_ERRORS = {"wagtailadmin_error_test"}


def url_templates(resolver=None):
    """Every endpoint of the URLconf as a UrlTemplate, and the number left out."""
    from django.urls import get_resolver

    templates, skipped = [], 0

    def walk(patterns, prefixes, namespaces):
        nonlocal skipped
        for entry in patterns:
            regexes = [*prefixes, entry.pattern.regex.pattern]
            if hasattr(entry, "url_patterns"):
                namespace = [entry.namespace] if entry.namespace else []
                walk(entry.url_patterns, regexes, [*namespaces, *namespace])
                continue
            template = UrlTemplate(name=":".join([*namespaces, entry.name or ""]), parts=[])
            if template.name in DELIBERATE_ERRORS:
                continue
            if all(parse_regex(regex, template) for regex in regexes):
                template.parts = [part for part in template.parts if part != ""]
                templates.append(template)
            else:
                skipped += 1

    walk((resolver or get_resolver()).url_patterns, [], [])
    return templates, skipped


def values_for(kind, rng, hostile):
    if kind.startswith("choice:"):
        choices = kind.split(":", 1)[1].split("|")
        pool = HOSTILE_VALUES["choice"] if hostile else choices
    else:
        pool = (HOSTILE_VALUES if hostile else SAMPLE_VALUES)[kind]
    return rng.choice(pool)


def fill(template, rng, hostile_share=0.3):
    values = [values_for(kind, rng, rng.random() < hostile_share) for kind in template.kinds]
    return template.fill(values)


def sample_urls(templates, rng, per_template=2):
    """(pattern name, path) of each template filled with sample values, and some hostile ones."""
    urls = []
    for template in templates:
        for _ in range(per_template if template.kinds else 1):
            urls.append((template.name, fill(template, rng)))
    return urls


def live_page_urls(limit=400):
    """The live pages' paths (one per page, every language), Wagtail's part of the URL space."""
    from wagtail.models import Page

    paths = []
    for page in Page.objects.live().filter(depth__gt=1).order_by("path")[:limit]:
        url = page.get_url()
        if url:
            paths.append(re.sub(r"^https?://[^/]+", "", url))
    return paths


# --- Hostile variants ---------------------------------------------------------------------------

METHODS = ["GET"] * 8 + ["HEAD", "POST", "POST", "POST", "PUT", "PATCH", "DELETE"]
METHODS += ["OPTIONS", "TRACE", "PROPFIND", "FOO", "CONNECT"]
FORM_FIELDS = ["q", "name", "email", "message", "title", "slug", "password", "username", "next"]
FORM_FIELDS += ["csrfmiddlewaretoken", "language", "action-publish", "file", "tags", "page"]
ODD_TEXT = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "NaN",
    "null",
    "\x00",
    "%00",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "é" * 200,
    "x" * 5000,
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
    "１２",
    "true",
    "[]",
    '{"a": 1}',
]
CHARSETS = ["utf-8", "latin-1", "utf-16", "iso-8859-15", "bogus-charset", "UTF-8", "ascii"]
QUERY_KEYS = ["q", "p", "page", "ordering", "type", "year", "next", "format", "id", "lang"]
QUERY_KEYS += ["q%00", "%ff", "page[]", "é", "utm_source", "filter", "sort", "view"]
QUERY_VALUES = ["1", "0", "-1", "abc", "%00", "%ff", "%zz", "%C3%A9", "x" * 2000, "99999999999999"]
QUERY_VALUES += ["a%0Ab", "", "%25", "1e9", "NaN", "..%2F..", "title", "-created_at", "fr"]
HOSTS = [
    "localhost",
    "evil.example",
    "127.0.0.1:99999",
    "[::1",
    "",
    "x" * 300,
    "localhost, evil.example",
    "ÉXAMPLE.org",
    "localhost:80@evil.example",
]
LANGUAGES = ["fr", "en", "zz", "*", "fr-CA,fr;q=0.9", "x" * 500, "en;q=abc", ",,,;q=", "é"]
COOKIE_NAMES = ["sessionid", "csrftoken", "messages", "django_language", "x", ""]
COOKIE_VALUES = ["", "bad:signature", '"unterminated', "=;=;", "a" * 4000, "zz", "%ff", "\x7f"]
HEADER_NOISE = [
    ("Referer", "javascript:alert(1)"),
    ("Referer", "http://evil.example/%ff"),
    ("Origin", "null"),
    ("Origin", "http://evil.example"),
    ("X-Forwarded-For", "1.2.3.4, not-an-ip, ::1"),
    ("X-Forwarded-Proto", "gopher"),
    ("X-Forwarded-Host", "evil.example"),
    ("If-Modified-Since", "yesterday"),
    ("If-None-Match", '"' + "x" * 500),
    ("Range", "bytes=9-1,abc"),
    ("Accept", "*/*;q=nan"),
    ("Accept-Encoding", "gzip;q=2, br;q=-1"),
    ("Authorization", "Basic %%%"),
    ("X-Requested-With", "XMLHttpRequest"),
    ("X-CSRFToken", "x" * 64),
    ("User-Agent", "Mozilla/5.0 " + "A" * 2000),
]


@dataclass
class HostileRequest:
    method: str
    path: str  # as sent on the wire: percent-encoded, starting with /
    query: str = ""
    headers: list = field(default_factory=list)  # (name, value), repeats allowed
    body: bytes = b""
    content_type: str = ""
    role: str = ""  # "" is anonymous
    # Whether the role's session goes with it, and a valid CSRF token (never to the URLs that
    # would change what later requests find: STATE_CHANGING).
    authenticated: bool = True
    state_changing: bool = False

    @property
    def with_csrf_token(self):
        return self.authenticated and not self.state_changing

    @property
    def target(self):
        """The request target as sent: whatever is not printable ASCII percent-encoded (an
        HTTP client cannot send it otherwise), the hostile escapes kept as they are."""
        target = f"{self.path}?{self.query}" if self.query else self.path
        return re.sub(r"[^\x21-\x7e]", lambda match: quote(match.group()), target)

    def describe(self):
        headers = ", ".join(f"{name}: {value[:60]!r}" for name, value in self.headers)
        return (
            f"{self.method} {self.target[:300]!r} as {self.role or 'anonymous'} "
            f"[{self.content_type[:80]}] body of {len(self.body)} bytes {self.body[:120]!r} "
            f"headers {headers}"
        )


def wire_path(path):
    """The path percent-encoded as a client sends it (escapes already there are kept)."""
    return quote(path, safe="/%:@!$&'()*+,;=~-._")


def form_body(rng):
    pairs = [(rng.choice(FORM_FIELDS), rng.choice(ODD_TEXT)) for _ in range(rng.randint(0, 6))]
    return "&".join(f"{quote(key)}={quote(value, safe='')}" for key, value in pairs)


def multipart_body(rng):
    boundary = "----hostile" + str(rng.randint(0, 10**9))
    kind = rng.choice(["valid", "valid", "no boundary", "broken", "many fields", "bad header"])
    parts = []
    for number in range(rng.randint(1, 4)):
        name = rng.choice(FORM_FIELDS)
        if rng.random() < 0.4:
            filename = rng.choice(["a.pdf", "../../x.png", "\x00.jpg", "é" * 100 + ".txt", ""])
            content = rng.choice([b"%PDF-1.4\n%%EOF\n", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, b""])
            header = (
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {rng.choice(['application/pdf', 'image/png', 'x/y', ''])}\r\n"
            )
            parts.append(header.encode("utf-8", "surrogatepass") + b"\r\n" + content)
        else:
            value = rng.choice(ODD_TEXT)
            header = f'Content-Disposition: form-data; name="{name}"\r\n'
            if kind == "bad header":
                header = f"Content-Disposition: form-data; name*=UTF-8''%ff%fe{number}\r\n"
            parts.append(header.encode() + b"\r\n" + value.encode("utf-8", "surrogatepass"))
    if kind == "many fields":
        parts += [
            f'Content-Disposition: form-data; name="f{n}"\r\n\r\nx'.encode() for n in range(1200)
        ]
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    body += b"--" + boundary.encode() + b"--\r\n"
    if kind == "broken":
        body = body[: len(body) // 2]
    content_type = f"multipart/form-data; boundary={boundary}"
    if kind == "no boundary":
        content_type = "multipart/form-data"
    elif rng.random() < 0.2:
        content_type += f"; charset={rng.choice(CHARSETS)}"
    return body, content_type


def body_for(rng):
    choice = rng.random()
    if choice < 0.45:
        text = form_body(rng)
        charset = rng.choice(CHARSETS) if rng.random() < 0.6 else ""
        content_type = "application/x-www-form-urlencoded"
        if charset:
            content_type += f"; charset={charset}"
        encoding = charset if charset.lower() in ("latin-1", "utf-16", "ascii") else "utf-8"
        return text.encode(encoding, "replace"), content_type
    if choice < 0.75:
        return multipart_body(rng)
    if choice < 0.85:
        return rng.choice([b'{"a": [1, 2', b"{}", b"\xff\xfe\x00", b"null"]), "application/json"
    if choice < 0.93:
        return rng.choice([b"", b"a=1", b"\x00" * 100]), rng.choice(["text/plain", "", "x"])
    return b"a=" + b"x" * rng.choice(
        [10_000] * 9 + [3_000_000]
    ), "application/x-www-form-urlencoded"


def mutate_path(path, rng):
    choice = rng.randint(0, 14)
    if choice == 0:
        return path + quote(rng.choice(ODD_TEXT)[:40], safe="")
    if choice == 1:
        return path.rstrip("/")
    if choice == 2:
        return path.replace("/", "//", 2)
    if choice == 3:
        return path + "%00"
    if choice == 4:
        return path.upper()
    if choice == 5:
        return path + rng.choice(["..;/", "%2e%2e/", "%ff/", "%C0%AF", ".json", "?"])
    if choice == 6:
        return rng.choice(["/de", "/en/en", "/%00", "/fr-ca", "//en", ""]) + path
    return path


def query_for(rng):
    if rng.random() < 0.5:
        return ""
    pairs = [
        f"{rng.choice(QUERY_KEYS)}={rng.choice(QUERY_VALUES)}" for _ in range(rng.randint(1, 6))
    ]
    if rng.random() < 0.1:
        pairs += ["page=1"] * 200
    if rng.random() < 0.05:
        pairs = ["%" * 50, "&&&", "=" * 5]
    return "&".join(pairs)


def headers_for(rng):
    headers = []
    if rng.random() < 0.15:
        headers.append(("Host", rng.choice(HOSTS)))
    if rng.random() < 0.3:
        headers.append(("Accept-Language", rng.choice(LANGUAGES)))
    if rng.random() < 0.3:
        cookies = [
            f"{rng.choice(COOKIE_NAMES)}={rng.choice(COOKIE_VALUES)}"
            for _ in range(rng.randint(1, 4))
        ]
        headers.append(("Cookie", "; ".join(cookies)))
    for _ in range(rng.choice([0, 0, 1, 2])):
        headers.append(rng.choice(HEADER_NOISE))
    if rng.random() < 0.05:
        # Repeated headers: a WSGI server joins them with commas.
        name = rng.choice(["X-Forwarded-For", "Accept-Language", "Cookie", "Accept", "X-Foo"])
        headers += [(name, rng.choice(["1.2.3.4", "fr", "a=b", "*/*"]))] * rng.choice([2, 50])
    if rng.random() < 0.03:
        headers.append(("X-Huge", "h" * rng.choice([4000, 7000])))
    return headers


def hostile_request(rng, name, url, roles):
    method = rng.choice(METHODS)
    path, _, query = url.partition("?")
    request = HostileRequest(method=method, path=wire_path(mutate_path(path, rng)))
    request.state_changing = bool(STATE_CHANGING.search(name))
    request.query = "&".join(part for part in (query, query_for(rng)) if part)
    request.headers = headers_for(rng)
    request.role = rng.choice(roles)
    # A third of a role's requests go without its session: a logged-out editor's bookmark.
    request.authenticated = rng.random() < 0.67
    if method in ("POST", "PUT", "PATCH", "DELETE", "PROPFIND") or rng.random() < 0.05:
        request.body, request.content_type = body_for(rng)
    return request


# Inputs that once made Wagtail's views raise (tests/site/test_hostile_error_pages.py), sent
# first as each role whatever the seed: (method, path, query, form body). Locking the tree's
# root (page 1), whose listing Wagtail then fails to return to; a `next` that names a view
# needing arguments, or a namespaced one, on the first pages of the tree; identifiers beyond
# 64 bits in the chooser for several snippets (pk__in, which Django does not bound); the
# external-link chooser's form without its URL field.
KNOWN_CASES = [
    ("POST", "/admin/pages/1/unlock/", "", ""),
    ("POST", "/admin/pages/1/lock/", "", ""),
    *[
        ("POST", f"/admin/pages/{page}/unlock/", query, body)
        for page in (3, 4, 5)
        for query, body in (
            ("next=wagtailadmin_explore", ""),
            ("", "next=wagtailadmin_pages%3Aedit"),
            ("next=no_such_app%3Aedit", ""),
        )
    ],
    (
        "GET",
        "/admin/snippets/choose/resources/theme/chosen-multiple/",
        "id=99999999999999999999",
        "",
    ),
    ("GET", "/admin/snippets/choose/partnerships/funder/chosen-multiple/", "id=1&id=1e30", ""),
    ("POST", "/admin/choose-external-link/", "", "link_text=x"),
]


def known_cases(roles):
    for role in roles:
        for method, path, query, body in KNOWN_CASES:
            request = HostileRequest(method=method, path=path, query=query, role=role)
            if body:
                request.body = body.encode()
                request.content_type = "application/x-www-form-urlencoded"
            yield request


def generate(urls, roles, count, seed=25):
    """`count` hostile requests over `urls` ((pattern name, path) pairs, the path with a query
    string or not), shared out between `roles` ("" is anonymous): the KNOWN_CASES first, then
    each URL once in turn, then at random."""
    known = list(known_cases(roles))[:count]
    yield from known
    rng = random.Random(seed)
    order = list(urls)
    rng.shuffle(order)
    for number in range(count - len(known)):
        name, url = order[number] if number < len(order) else rng.choice(order)
        yield hostile_request(rng, name, url, roles)


# URLs whose POST with a valid session and token would log the role out or change what later
# requests find (its password, the pages): their requests go without the CSRF token.
STATE_CHANGING = re.compile(r"logout|delete|password|account|unpublish|revert|move|copy|convert")


def site_urls(rng, page_limit=400, per_template=2):
    """(pattern name, path) of every URL pattern filled, and of the live pages; and how many
    patterns could not be filled (Wagtail's catch-all, which the pages stand for)."""
    templates, skipped = url_templates()
    urls = sample_urls(templates, rng, per_template)
    urls += [("wagtail_serve", path) for path in live_page_urls(page_limit)]
    return urls, skipped


# --- Judging the answers ----------------------------------------------------------------------

# The body of gunicorn's own error pages (gunicorn/http/errors and workers/base.py).
GUNICORN_ERROR_PAGE = re.compile(
    rb"<h1><p>(Internal Server Error|Bad Request)</p></h1>|^Internal Server Error$"
)


def status_class(status):
    return f"{status // 100}xx"


def is_gunicorn_page(body):
    return bool(GUNICORN_ERROR_PAGE.search(body[:2000]))


# Django's own error pages and gunicorn's: a client must only ever get the site's.
FOREIGN_ERROR_PAGE_MARKERS = (
    b"<h1>Bad Request (400)</h1>",
    b"<h1>Not Found</h1>",
    b"<h1>403 Forbidden</h1>",
    b"<h1>Server Error (500)</h1>",
    b"CSRF verification failed",
    b"Traceback (most recent call last)",
)


# In the layout of every page of the site, the error pages included (templates/base.html,
# templates/500.html), and so in the pages gunicorn sends for the requests its HTTP parser
# refuses (ngo_site.gunicorn_workers).
SITE_PAGE_MARKER = b'class="site-header"'


def is_site_page(body):
    return SITE_PAGE_MARKER in body[:20000]


def foreign_error_page(status, body):
    """Why `body` is not one of the site's pages, or "" when it is: gunicorn's own page (also
    for a request its HTTP parser refuses, which ngo_site.gunicorn_workers answers with the
    site's 400 page) or one of Django's default pages."""
    if is_gunicorn_page(body):
        return "gunicorn's error page"
    if status >= 400:
        for marker in FOREIGN_ERROR_PAGE_MARKERS:
            if marker in body:
                return f"Django's default page ({marker.decode()})"
    return ""


# --- The request as sent --------------------------------------------------------------------

# A well-formed CSRF secret (32 letters): with it, a POST gets past the cookie check and Django
# reads its body, which is where a body in another charset used to fail.
CSRF_SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


def final_headers(request, session_key=""):
    """The request's headers with the role's session and the CSRF cookie (and the token when
    the request is meant to pass the check) merged into its Cookie header."""
    headers = list(request.headers)
    cookies = [f"csrftoken={CSRF_SECRET}"]
    if request.role and request.authenticated and session_key:
        cookies.append(f"sessionid={session_key}")
    own = [value for name, value in headers if name == "Cookie"]
    headers = [(name, value) for name, value in headers if name != "Cookie"]
    # The request's own cookies last: a garbage sessionid or csrftoken replaces the real one.
    headers.append(("Cookie", "; ".join([*cookies, *own])))
    if request.with_csrf_token:
        headers.append(("X-CSRFToken", CSRF_SECRET))
    return headers


def as_wsgi_headers(headers):
    """{name: value} for Django's test client: repeated headers joined as a server joins them,
    values as PEP 3333 passes them (the bytes read as latin-1)."""
    joined = {}
    for name, value in headers:
        separator = "; " if name == "Cookie" else ", "
        joined[name] = f"{joined[name]}{separator}{value}" if name in joined else value
    return {
        name: value.encode("utf-8", "surrogatepass").decode("latin-1")
        for name, value in joined.items()
    }
