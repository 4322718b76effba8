"""The pytest suite. DATABASE_URL selects PostgreSQL; without it the suite runs on SQLite."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-0b9e7c1f3a5d4e2c8b6a9f0d1e3c5b7a"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ngo-test-media-"))  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The page cache is off for the suite, whose factories change pages without publishing them;
# tests/site/test_caching.py turns it on. Fragments are cached as in production.
PAGE_CACHE_SECONDS = 0
WAGTAIL_CACHE = False
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "published",
}
CACHES["template_fragments"] = {**CACHES["pages"], "TIMEOUT": 60 * 60 * 24}
# django-axes needs the request to authenticate, which the test client's login() does not pass:
# tests/site/test_login_throttle.py puts axes' backend back and logs in through the real form.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
SILENCED_SYSTEM_CHECKS = ["axes.W003"]  # the warning about the backend left out just above
# wagtail-localize's dummy translator (it reverses words) stands in for DeepL or LibreTranslate
# in the suite only: no outside request, and the machine-translation paths are exercised.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
    "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator",
}
