"""Local development and `make demo`: DEBUG on, console email, no HTTPS requirements."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
# A fixed development key is fine here: dev settings must never face the internet.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-not-secret-6f1d0c8b2a4e4f7d9c3b5a1e8d7f6c2b")
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Serve static files from the apps directly so edits show without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
