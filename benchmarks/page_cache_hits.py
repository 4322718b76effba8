"""The cost of one request through the site's WSGI application, in instructions.

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python -m benchmarks.page_cache_hits PATH N

runs 3 warm-up requests of PATH (a page-cache miss, then hits), then N more, without gunicorn;
callgrind's "Collected" total with N = 400, less the total with N = 0, divided by 400, is the
instructions of one request (docs/architecture.md, "What a hit costs"). Instruction counts do
not change with the machine's load, which requests/s do. Run it with the settings to measure
(production's, with the environment of scripts/bench-http and the demo loaded) and
PYTHONHASHSEED=0, so that both runs start the same way.
"""

import io
import sys


def environ(path, query):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_ACCEPT": "text/html",
        "HTTP_ACCEPT_ENCODING": "gzip, deflate",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main(url, count):
    import django

    django.setup()
    from ngo_site.wsgi import application

    path, _, query = url.partition("?")
    answered = {}

    def start_response(status, headers, exc_info=None):
        answered.update(status=status, headers=dict(headers))

    def request():
        body = application(environ(path, query), start_response)
        size = sum(len(chunk) for chunk in body)
        body.close()
        return size

    for _ in range(3):
        size = request()
    cache = answered["headers"].get("X-Wagtail-Cache", "-")
    print(f"{url}: {answered['status']}, {size} bytes, page cache {cache}", file=sys.stderr)
    for _ in range(count):
        request()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
