"""Dates and file sizes as each language writes them: `{% load typography %}`.

- `local_date` is Django's `date` filter (same argument: a format name such as "DATE_FORMAT",
  or a format string), plus the French ordinal of the first day of a month: "1er juin 2024",
  not "1 juin 2024". Django's formats have no way to say it (the day is "j" whatever its value).
- File sizes stay Django's `filesizeformat` (which keeps the number and its unit together with a
  non-breaking space); its units come from the catalogues, and ours (locale/fr) write "Ko",
  "Mo", "Go" where Django's French says "Kio", "Mio", "Gio". English keeps "KB", "MB", "GB".
"""

from django import template
from django.utils import formats
from django.utils.dateformat import format as format_date
from django.utils.translation import get_language, gettext_noop

register = template.Library()

# Django's own msgids for the units of `filesizeformat`, marked here so that `makemessages`
# keeps them in the project's catalogue, whose French ("%s Ko", ...) then replaces Django's
# ("%s Kio", ...) everywhere: in our templates, our upload messages and Wagtail's admin.
FILE_SIZE_UNITS = (
    gettext_noop("%s KB"),
    gettext_noop("%s MB"),
    gettext_noop("%s GB"),
    gettext_noop("%s TB"),
    gettext_noop("%s PB"),
)

# The format characters that print a month's name: "j F" is "1er juin", "j/m/Y" stays "1/06/…".
MONTH_NAMES = "FNEMb"
FIRST_OF_THE_MONTH = {"fr": r"j\e\r"}


def ordinal_first_day(format_string, ordinal):
    """`format_string` with every "j" (the day) that precedes a month's name written `ordinal`,
    e.g. r"j\\e\\r F Y" for "j F Y"; escaped characters ("\\j") are left alone."""
    out = []
    index = 0
    while index < len(format_string):
        char = format_string[index]
        if char == "\\":
            out.append(format_string[index : index + 2])
            index += 2
            continue
        if char == "j":
            following = format_string[index + 1 :].lstrip(" \u00a0")
            if following and following[0] in MONTH_NAMES:
                char = ordinal
        out.append(char)
        index += 1
    return "".join(out)


@register.filter(expects_localtime=True, is_safe=False)
def local_date(value, arg=None):
    """Like `{{ value|date:arg }}`, with "1er" for the first day of a month in French."""
    if value in (None, ""):
        return ""
    format_string = formats.get_format(arg or "DATE_FORMAT")
    language = (get_language() or "").split("-")[0]
    ordinal = FIRST_OF_THE_MONTH.get(language)
    if ordinal and getattr(value, "day", None) == 1:
        format_string = ordinal_first_day(format_string, ordinal)
    try:
        return format_date(value, format_string)
    except AttributeError:
        return ""
