"""gunicorn settings for production: `gunicorn` (run from the repository) reads this file.

Every value can be changed by an environment variable; docs/deployment.md lists them. The app
servers keep no state (media on S3 or a shared volume, cache and sessions in Redis or the
database), so any number of them can run behind the reverse proxy.
"""

import gc
import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "ngo_site.wsgi:application"
bind = (
    os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST', '0.0.0.0')}:{_int('PORT', 8000)}"
)
# Rendering is CPU-bound: about two workers per core, at most 8 unless set.
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 1)
# gunicorn's own workers, answering the requests its HTTP parser refuses (a control character
# in a header, a request line too long…) with the site's error pages (ngo_site.gunicorn_workers).
worker_class = (
    "ngo_site.gunicorn_workers.ThreadWorkerWithSitePages"
    if threads > 1
    else "ngo_site.gunicorn_workers.SyncWorkerWithSitePages"
)
# A request still running after this many seconds is killed and logged; raise it for very
# large document uploads on slow links.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then, so that a slow leak in any library cannot grow for ever. Not
# too often: a worker serves hundreds of cached pages a second, and each new one starts cold.
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 2000)
# Django is imported once, in the master, before the workers are forked: a recycled worker is
# ready at once instead of spending a second or two of CPU importing it again, and the workers
# share that memory. (Code changes then need a restart, not a HUP; releases restart anyway.)
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() not in ("0", "false", "no")
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The reverse proxy's address(es), whose X-Forwarded-* headers gunicorn trusts.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Access and error logs to standard output, for the container or systemd journal.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "ngo-site"


# What the app creates when it loads (Django, Wagtail, their URL, template and model caches) lives
# as long as the worker. Frozen out of the garbage collector (gc.freeze, as Python's documentation
# advises before a fork), it is no longer walked by the full collections that run every few
# requests: on the translation queue these took about 140 ms each, 35 ms frozen
# (docs/benchmarks.md, "Translation queue"), and the workers keep sharing the master's pages.
def pre_fork(server, worker):
    if preload_app:
        gc.freeze()


def post_worker_init(worker):
    if not preload_app:
        gc.collect()
        gc.freeze()
