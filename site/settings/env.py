"""Small readers for environment variables, so every setting parses them the same way."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import URLValidator

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, not {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_float(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {raw!r}.") from exc


def env_list(name, default=()):
    """A comma-separated list; blanks are dropped so `a, b,` gives ['a', 'b']."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required(name, hint):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} is required: {hint}")
    return value


def env_origin(name):
    """An origin, "scheme://host[:port]" (http or https, nothing after the host but an optional
    "/"), lower-cased and without its scheme's default port; "" when unset. Anything else stops
    start-up with a message naming the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    problem = f"{name} must be the site's public address, e.g. https://www.example.org, not {raw!r}"
    try:
        URLValidator(schemes=["http", "https"])(raw)
        parts = urlsplit(raw)
        port = parts.port
    except (ValidationError, ValueError) as exc:
        raise ImproperlyConfigured(f"{problem}.") from exc
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        raise ImproperlyConfigured(f"{problem}: no path, query, fragment or user name.")
    scheme, host = parts.scheme.lower(), parts.hostname
    host = f"[{host}]" if ":" in host else host  # an IPv6 address
    if port is None or port == {"http": 80, "https": 443}[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"
