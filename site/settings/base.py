"""Settings shared by every environment. See docs/configuration.md for the variables."""

import zoneinfo
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import PIL.Image
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_float, env_int, env_list, env_origin, env_str

# site/settings/base.py -> repository root
BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first so their templates override Wagtail's where they share a name.
    "ngo_site",
    "ngo_site.translation_queue",
    "programmes",
    "resources",
    "partnerships",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Locks out an account and address after repeated wrong passwords (see "Security" below).
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy: strict on the public site, the admin's own policy under /admin/.
    "ngo_site.security.ContentSecurityPolicyMiddleware",
    # Permissions-Policy (PERMISSIONS_POLICY below), on every response.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # TRACE answers 405; Wagtail pages answer GET, HEAD, POST and OPTIONS (ngo_site.http_methods).
    "ngo_site.http_methods.HttpMethodMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A request that failed on the database gets the 503 page (ngo_site.outage); above every
    # middleware that may query it, below those that add the security headers.
    "ngo_site.outage.DatabaseOutageMiddleware",
    # What browsers and proxies may keep of a page the page cache shares (ngo_site.page_cache).
    "ngo_site.page_cache.SharedPageCacheControlMiddleware",
    # The page cache (wagtail-cache) stores responses here, with the headers added below...
    "wagtailcache.cache.UpdateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # ...and serves them here, once the host is checked, the visitor known to be anonymous
    # with no message waiting and the language set: a hit skips everything below, which an
    # anonymous GET of a stored page does not need (the headers added below are stored).
    "wagtailcache.cache.FetchFromCacheMiddleware",
    "ngo_site.localisation.RequestLocaleMemoMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Responses made for one visitor (a form, a message, a login) are marked private, so the
    # page cache above never stores them.
    "ngo_site.page_cache.PrivateResponseMiddleware",
    # The permission model (docs/editors.md) on admin views that run no hook of ours.
    "ngo_site.admin_guard.AdminGuardMiddleware",
    # A confirmation when a page in review is approved (ngo_site.translation_queue.approvals).
    "ngo_site.translation_queue.approvals.ApprovalMessageMiddleware",
    # A URL's identifier of the wrong type gets 404, a form without a field the view reads
    # unchecked gets 400 (ngo_site.lookup_errors).
    "ngo_site.lookup_errors.MalformedIdentifierMiddleware",
    # A chooser's create/ URL without a creation form answers 404 (ngo_site.chooser_creation).
    "ngo_site.chooser_creation.ChooserWithoutCreationFormMiddleware",
    # Locking or unlocking the page tree's root answers 404 (ngo_site.page_locks).
    "ngo_site.page_locks.TreeRootLockMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Wrong page and document passwords count in django-axes like wrong logins.
    "ngo_site.security.PasswordRestrictionThrottleMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ngo_site.urls"
WSGI_APPLICATION = "ngo_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL, e.g. postgres://user:pass@host:5432/name. Without it: a SQLite file under var/,
# which is created here so that a fresh clone can `manage.py migrate` straight away.
if not env_str("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A restarted database server must not leave workers holding dead connections: each
        # request first checks the one it reuses (CONN_HEALTH_CHECKS), and reconnects.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database host (packets dropped, not refused) must fail the connection
    # well within gunicorn's timeout, so the visitor gets the 503 page instead of a 502 and a
    # killed worker. A connect_timeout in DATABASE_URL's query string wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
# Seconds the 503 page of a database outage asks clients to wait (Retry-After).
OUTAGE_RETRY_AFTER_SECONDS = env_int("OUTAGE_RETRY_AFTER_SECONDS", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# "default": rate limits and small lookups. "pages": anonymous visitors' pages (wagtail-cache)
# and "template_fragments": the costly parts of pages ({% wagtailcache %}); both are emptied
# whenever published content changes (ngo_site.page_cache), so every process of the site must
# see the same store: Redis, or files under VAR_DIR on a single server.
REDIS_URL = env_str("REDIS_URL", "")


def redis_cache(location):
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "ngo"),
        "TIMEOUT": env_int("CACHE_TIMEOUT", 300),
        "OPTIONS": {
            # A Redis that is down or hangs answers as a miss after this many seconds: pages
            # are rendered without the cache, never failed. A page makes 12 to 30 cache calls,
            # so a hung Redis costs each page up to 30 times this; one on the same network
            # answers in well under a millisecond.
            "SOCKET_CONNECT_TIMEOUT": env_float("CACHE_SOCKET_TIMEOUT", 0.1),
            "SOCKET_TIMEOUT": env_float("CACHE_SOCKET_TIMEOUT", 0.1),
            "IGNORE_EXCEPTIONS": True,
        },
    }


def redis_database_after(url):
    """The Redis URL of the next database number: emptying the published-content caches
    (FLUSHDB) must not empty the default cache."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + 1
    return urlunsplit(parts._replace(path=f"/{number}"))


if REDIS_URL:
    published_content_cache = redis_cache(
        env_str("REDIS_PAGE_CACHE_URL", "") or redis_database_after(REDIS_URL)
    )
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    published_content_cache = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "published"),
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_MAX_ENTRIES", 5000)},
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# An outage is reported by the health check (/health/ answers 503), not by a traceback per call.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False

# --- Authentication -------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, content-hashed files that whitenoise serves with far-future cache headers.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Media on S3-compatible object storage (AWS, MinIO, Scaleway, OVH…) when a bucket is named, so
# that app servers keep no state of their own. Credentials come from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY (or the machine's role), which boto3 reads itself.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL", "")
AWS_S3_CUSTOM_DOMAIN = env_str("AWS_S3_CUSTOM_DOMAIN", "")
if AWS_STORAGE_BUCKET_NAME:
    _bucket = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": AWS_S3_ENDPOINT_URL or None,
        "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
        # Two uploads with one name must not replace each other's file.
        "file_overwrite": False,
    }
    # Documents and original images (documents/, original_images/): private in the bucket
    # (docs/deployment.md). Documents reach visitors through /documents/… after the checks of
    # ngo_site.private_files; a direct URL of these files is signed and soon expires.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_bucket,
            "querystring_auth": True,
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 300),
        },
    }
    # Image renditions, which pages link: public URLs without expiring signatures (cached pages
    # keep them), from the CDN domain if there is one, for those of public images (images/);
    # those of private_renditions/ are never linked (ngo_site.private_files) and must stay
    # private in the bucket (docs/deployment.md).
    STORAGES["renditions"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_bucket,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN or None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
        },
    }
    WAGTAILIMAGES_RENDITION_STORAGE = "renditions"

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "WIEGO")
# The site's public address (e.g. https://www.example.org). When set, every absolute address the
# site gives (canonical links, og:url, hreflang, sitemaps, feeds, citations, robots.txt, emails)
# is on it, whatever Host header a request came with, and `migrate` keeps the default Site
# record in step with it; when empty, addresses follow each request (ngo_site.addresses).
SITE_URL = env_origin("SITE_URL")
# Wagtail's admin emails and the editors' user bar: the same address.
WAGTAILADMIN_BASE_URL = SITE_URL or env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "ngo_site.CustomImage"
WAGTAILDOCS_DOCUMENT_MODEL = "ngo_site.CustomDocument"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ALLOW_UNICODE_SLUGS = False


def search_backends():
    """Wagtail's database backend unless an OpenSearch or Elasticsearch URL is configured."""
    opensearch_url = env_str("OPENSEARCH_URL", "")
    elasticsearch_url = env_str("ELASTICSEARCH_URL", "")
    if opensearch_url:
        backend, url = "wagtail.search.backends.opensearch2", opensearch_url
    elif elasticsearch_url:
        backend, url = "wagtail.search.backends.elasticsearch8", elasticsearch_url
    else:
        return {"default": {"BACKEND": "wagtail.search.backends.database"}}
    return {
        "default": {
            "BACKEND": backend,
            "URLS": [url],
            "INDEX": env_str("SEARCH_INDEX_PREFIX", "ngo"),
            "TIMEOUT": 10,
            "ATOMIC_REBUILD": True,
        }
    }


WAGTAILSEARCH_BACKENDS = search_backends()

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # A client's error (a 4xx, a refused Host or body) is one line without its traceback
    # (ngo_site.request_logging); server errors keep theirs.
    "filters": {"client_errors": {"()": "ngo_site.request_logging.ClientErrorFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # One line per background task is noise; failures are still logged.
        "django_tasks": {"level": "WARNING"},
        # django-axes announces itself at every start; lockouts are still logged (WARNING).
        "axes.apps": {"level": "WARNING"},
    },
}

# Ordered sections of `manage.py load_demo`: each module has `load(loader)`.
DEMO_CONTENT_SECTIONS = [
    "ngo_site.demo.site_content",
    "resources.demo.library_content",
    "programmes.demo.programmes_content",
    # Links the demo resources to the programmes above and builds the library's search index.
    "resources.demo.library_links",
    "partnerships.demo.partnerships_content",
    # Translates what the sections above created.
    "ngo_site.demo.translate",
    # After the translations: the glossary starts from the translated names.
    "ngo_site.demo.glossary",
]

# --- Partnerships: contact and newsletter forms (partnerships/, docs/partnerships.md) ---------
# Spam resistance. A client address may send this many forms (accepted or refused as spam) per
# window of seconds; more are refused with "try again later" (HTTP 429).
PARTNERSHIPS_FORM_RATE_LIMIT = env_int("PARTNERSHIPS_FORM_RATE_LIMIT", 10)
PARTNERSHIPS_FORM_RATE_WINDOW = env_int("PARTNERSHIPS_FORM_RATE_WINDOW", 3600)
# An address that has not confirmed anything (the contact form's sender, a newsletter sign-up)
# receives at most this many emails per window of seconds, whoever asks for them; the form is
# still accepted, the email is not sent. Counted in the database, like the limit above.
PARTNERSHIPS_RECIPIENT_MAIL_LIMIT = env_int("PARTNERSHIPS_RECIPIENT_MAIL_LIMIT", 3)
PARTNERSHIPS_RECIPIENT_MAIL_WINDOW = env_int("PARTNERSHIPS_RECIPIENT_MAIL_WINDOW", 3600)
# A form sent back sooner than this many seconds after it was shown is refused (robots are
# fast); one shown longer ago than PARTNERSHIPS_FORM_MAX_AGE seconds must be sent again.
PARTNERSHIPS_FORM_MIN_SECONDS = env_int("PARTNERSHIPS_FORM_MIN_SECONDS", 3)
PARTNERSHIPS_FORM_MAX_AGE = env_int("PARTNERSHIPS_FORM_MAX_AGE", 24 * 3600)
# How long the newsletter's confirmation link works, in seconds (double opt-in).
PARTNERSHIPS_NEWSLETTER_CONFIRMATION_MAX_AGE = env_int(
    "PARTNERSHIPS_NEWSLETTER_CONFIRMATION_MAX_AGE", 3 * 24 * 3600
)
# Who receives a copy of each contact message (comma-separated). Empty: read them in the admin.
PARTNERSHIPS_CONTACT_RECIPIENTS = env_list("PARTNERSHIPS_CONTACT_RECIPIENTS")

# --- Localisation: wagtail-localize and the translation queue (docs/localisation.md) ----------
# Chosen on purpose, see docs/localisation.md. Languages themselves are LANGUAGES above: adding
# Spanish is one more entry there (and WAGTAIL_CONTENT_LANGUAGES follows), then translations.
#
# A new translation is created as a draft, even when its source page is live: translators
# publish it after review; wagtail-localize's default would publish half-translated pages.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# New translations are "synced": they follow the source and are edited in wagtail-localize's
# editor, which is what the translation queue tracks (not "simple" copies edited freely).
WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE = "synced"
# Deleting an English page does not delete its translations: they are kept and unlinked from
# the source, so no translator's work disappears with an editor's mistake.
WAGTAILLOCALIZE_DISABLE_ON_DELETE = True
# Machine translation pre-fills strings for a translator to review, through a real service
# only: DeepL when DEEPL_API_KEY is set, else a LibreTranslate server (self-hosted or not) when
# LIBRETRANSLATE_URL is set, else none, and then no machine-translation button shows anywhere
# (docs/localisation.md). The machine's strings are marked as such and go to review.
if env_str("DEEPL_API_KEY", ""):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": env_str("DEEPL_API_KEY"), "TIMEOUT": 30},
    }
elif env_str("LIBRETRANSLATE_URL", ""):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
        "OPTIONS": {
            "LIBRETRANSLATE_URL": env_str("LIBRETRANSLATE_URL").rstrip("/"),
            "API_KEY": env_str("LIBRETRANSLATE_API_KEY", ""),
            "TIMEOUT": 30,
        },
    }
# Rows per page of the translation queue (site/translation_queue/).
TRANSLATION_QUEUE_PAGE_SIZE = env_int("TRANSLATION_QUEUE_PAGE_SIZE", 50)

# --- Editors' experience (ngo_site.roles, docs/editors.md) -----------------------------------
# Alt text (the image's description) is required in the admin's image form.
WAGTAILIMAGES_IMAGE_FORM_BASE = "ngo_site.image_forms.ImageForm"
# Moderation emails (submitted, approved, changes requested) go through EMAIL_BACKEND; plain
# text, and superusers are not copied on every submission (Moderators and Administrators are
# the approvers of the site-wide workflow).
WAGTAILADMIN_NOTIFICATION_USE_HTML = False
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# The time zones an editor may choose on the account page: the IANA "Area/Place" names and UTC.
# Wagtail offers every name of the system's zoneinfo by default, including "localtime" and
# "Factory", which browsers reject (the account page's script stopped on a RangeError).
WAGTAIL_USER_TIME_ZONES = [
    *sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("posix/", "right/", "SystemV/", "US/"))
    ),
    "UTC",
]
# Workflows and moderation on; an edit to a page in moderation sends it back for approval.
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# No third-party requests from the admin: the dashboard does not ask wagtail.org for new
# releases, and avatars are not fetched from gravatar.com (users may upload one).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Production: page cache, frontend cache, uploads, security (docs/deployment.md) ---------
# Anonymous visitors' Wagtail pages are kept this many seconds by wagtail-cache and dropped at
# once when published content changes (ngo_site.page_cache). 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
WAGTAIL_CACHE = PAGE_CACHE_SECONDS > 0
WAGTAIL_CACHE_BACKEND = "pages"
CACHES["pages"] = {**published_content_cache, "TIMEOUT": PAGE_CACHE_SECONDS}
# The fragments live until the next change of published content, or a day.
CACHES["template_fragments"] = {**published_content_cache, "TIMEOUT": 60 * 60 * 24}

# Wagtail's frontend cache invalidation: a CDN or caching proxy in front of the site is told to
# purge a page when it is published or unpublished. Set the variables of one service.
WAGTAILFRONTENDCACHE = {}
if env_str("FRONTEND_CACHE_CLOUDFLARE_ZONE_ID", ""):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env_str("FRONTEND_CACHE_CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": env_str("FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN", ""),
    }
if env_str("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID", ""):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": env_str("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID"),
    }
if env_str("FRONTEND_CACHE_PURGE_URL", ""):
    # A plain HTTP PURGE request to a caching proxy (Varnish, nginx with a purge module…).
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_str("FRONTEND_CACHE_PURGE_URL"),
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
# How long the CDN or proxy above may keep an anonymous visitor's page (Cache-Control
# s-maxage), only when one of the purges above is configured (without one, pages are sent with
# max-age=0). Short, because a purge names only the page published: the other pages that list
# it, and every page after a footer or menu change, are refreshed when this runs out.
FRONTEND_CACHE_SECONDS = env_int("FRONTEND_CACHE_SECONDS", 60)

# Documents: only these types, checked by their content and not only their name
# (ngo_site.documents), and no larger than DOCUMENT_MAX_UPLOAD_MB megabytes.
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "odp",
    "rtf",
    "csv",
    "txt",
    "epub",
]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "ngo_site.documents.DocumentForm"
DOCUMENT_MAX_UPLOAD_SIZE = env_int("DOCUMENT_MAX_UPLOAD_MB", 50) * 1024 * 1024

# Brute-force protection of the admin login (django-axes): after AXES_FAILURE_LIMIT wrong
# passwords for one username from one address, that pair is refused for AXES_COOLOFF_MINUTES,
# even with the right password. Counting username and address together means an attacker
# cannot lock a colleague out from elsewhere with a few guesses. An address that sends
# AXES_IP_FAILURE_LIMIT wrong passwords (any usernames) within the cool-off is refused
# altogether: password spraying. A username that gets AXES_USERNAME_FAILURE_LIMIT wrong
# passwords within the cool-off, whatever their addresses, is refused from every address:
# guesses spread over many addresses. Page and document passwords count per restriction and
# address (ngo_site.security.PasswordRestrictionThrottleMiddleware).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 30)
AXES_USERNAME_FAILURE_LIMIT = env_int("AXES_USERNAME_FAILURE_LIMIT", 10)
AXES_LOCKOUT_PARAMETERS = "ngo_site.security.login_lockout_parameters"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ngo_site.security.login_locked_out"
# The visitor's address (docs/deployment.md, "Reverse proxy"). Behind reverse proxies every
# request comes from the proxy: the visitor is the address the TRUSTED_PROXY_COUNT proxies
# appended to X-Forwarded-For, which is only believed from TRUSTED_PROXY_ADDRESSES (the
# addresses gunicorn trusts too, FORWARDED_ALLOW_IPS). 0 here, for a site reached directly
# (development); production.py defaults to 1, the nginx of docs/deployment.md.
# PARTNERSHIPS_TRUSTED_PROXY_COUNT is the variable's former name.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", env_int("PARTNERSHIPS_TRUSTED_PROXY_COUNT", 0))
TRUSTED_PROXY_ADDRESSES = env_list("FORWARDED_ALLOW_IPS", ["127.0.0.1", "::1"])
AXES_CLIENT_IP_CALLABLE = "ngo_site.security.client_ip_address"

# Response headers on every environment; HTTPS-only ones (HSTS, secure cookies) are in
# production.py. The Content-Security-Policy of the public site allows no inline script or
# style: everything comes from the site's own static files.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
MEDIA_ORIGINS = env_list("CSP_MEDIA_ORIGINS") or [
    origin
    for origin in (
        f"https://{AWS_S3_CUSTOM_DOMAIN}" if AWS_S3_CUSTOM_DOMAIN else "",
        AWS_S3_ENDPOINT_URL,
        f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
        if AWS_STORAGE_BUCKET_NAME and not (AWS_S3_CUSTOM_DOMAIN or AWS_S3_ENDPOINT_URL)
        else "",
    )
    if origin
]
# Embedded videos (the media block) play in frames from these services.
EMBED_FRAME_ORIGINS = env_list(
    "CSP_FRAME_ORIGINS",
    ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "media-src": ["'self'", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *EMBED_FRAME_ORIGINS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail's admin uses inline scripts and styles, and shows previews of pages in a frame of its
# own: it gets this policy instead, under ADMIN_URL_PREFIX only. A page's preview itself keeps
# the public policy, with frame-ancestors 'self' instead of 'none' (ngo_site.security).
ADMIN_URL_PREFIX = "/admin/"
ADMIN_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
    "font-src": ["'self'", "data:"],
    "frame-ancestors": ["'self'"],
}

# --- Image uploads: size and pixel limits (ngo_site.image_forms, docs/deployment.md) ----------
# An uploaded image may have at most IMAGE_MAX_MEGAPIXELS megapixels and IMAGE_MAX_UPLOAD_MB
# megabytes; the admin's form says so to the editor. The pixel limit is what bounds a
# rendition's memory and time: about 320 MB at the peak for 40 megapixels (docs/benchmarks.md).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("IMAGE_MAX_MEGAPIXELS", 40) * 1_000_000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_MB", 10) * 1024 * 1024
# Renditions are made when a page is published (ngo_site.prebuilt_renditions), in the editor's
# request: at most this many seconds of it (about 1.7 s a rendition at 40 megapixels), well
# within GUNICORN_TIMEOUT; those left over are made by the page's first visitors.
RENDITIONS_AT_PUBLICATION_SECONDS = env_int("RENDITIONS_AT_PUBLICATION_SECONDS", 12)
# Pillow itself then refuses to open an image of more than twice this (DecompressionBombError)
# and warns above it, whatever opens it (renditions, avatars, scripts), not only the admin's form.
PIL.Image.MAX_IMAGE_PIXELS = WAGTAILIMAGES_MAX_IMAGE_PIXELS

# --- Hostile requests (docs/testing.md, "The hostile-requests fuzz") --------------------------
# Our 403 page for a form refused by the CSRF check, not Django's technical one.
CSRF_FAILURE_VIEW = "ngo_site.views.csrf_failure"
# Features no page uses are refused to the page and to every frame in it; the embedded video
# players (EMBED_FRAME_ORIGINS) keep what they need to play and go full screen.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "ambient-light-sensor": [],
    "autoplay": ["self", *EMBED_FRAME_ORIGINS],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": ["self", *EMBED_FRAME_ORIGINS],
    "fullscreen": ["self", *EMBED_FRAME_ORIGINS],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": ["self", *EMBED_FRAME_ORIGINS],
    "publickey-credentials-get": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}
# The language chosen with the switch (django_language, set by set_language): no script reads
# it, and it is not sent with requests from other sites. production.py makes it Secure.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
