"""Counters of the public forms' limits, kept in the database so that they hold across every
worker and app server (a per-process cache would give each worker its own allowance).

Each counter is one row per (scope, key): the key is a hash of what is counted (a client
address, a recipient address), never the address itself. The window starts with the first use,
and every change is a single INSERT or UPDATE statement, so that concurrent requests in
different processes cannot both take the last place:

1. start a new window if the current one is over (UPDATE ... WHERE expires_at <= now);
2. take a place (UPDATE ... SET count = count + 1 WHERE count < limit): one row updated means
   allowed; none means the limit is reached, or that the row is missing;
3. a missing row is INSERTed (ON CONFLICT DO NOTHING, as another request may be adding it),
   and the place taken again.
"""

import hashlib
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from .models import FormLimitCounter


def digest(value):
    return hashlib.sha256(value.encode()).hexdigest()


def take(scope, key, limit, window_seconds):
    """Count one use of `scope` by `key`; False when `limit` uses were already counted in the
    current window of `window_seconds` (the use is then not counted)."""
    window = timedelta(seconds=window_seconds)
    rows = FormLimitCounter.objects.filter(scope=scope, key=key)
    for _attempt in range(3):
        now = timezone.now()
        rows.filter(expires_at__lte=now).update(count=0, window_start=now, expires_at=now + window)
        if rows.filter(count__lt=limit).update(count=F("count") + 1):
            return True
        if rows.exists():
            return False
        # First use by this key: add its row (another request may be adding it at the same
        # moment, hence ON CONFLICT DO NOTHING), clear the rows whose window ended long ago
        # (an indexed delete, never a row in use), and count again.
        FormLimitCounter.objects.bulk_create(
            [FormLimitCounter(scope=scope, key=key, window_start=now, expires_at=now + window)],
            ignore_conflicts=True,
        )
        FormLimitCounter.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    return False


def is_reached(scope, key, limit):
    """Whether `key` has already used `scope` `limit` times in its current window."""
    return FormLimitCounter.objects.filter(
        scope=scope, key=key, count__gte=limit, expires_at__gt=timezone.now()
    ).exists()
