"""schema.org FAQPage data (JSON-LD) built from the same FAQ snippets the page shows.

The answers go in as plain text. The JSON is embedded in a <script> element, where the HTML
parser would end the element at the first `</script>` in the answer text whatever JSON says,
so `<`, `>` and `&` are written as \\u escapes (as Django's json_script does): still the same
JSON for a JSON parser, inert for the HTML parser.
"""

import html
import json
import re

from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

SCRIPT_SAFE_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
# Block-level ends in Wagtail rich text, where the plain text needs a line break.
BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|div)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)


def plain_text(rich_text):
    """Rich-text HTML as readable plain text: tags dropped, entities decoded, one line per
    paragraph or list item."""
    text = html.unescape(strip_tags(BLOCK_END.sub("\n", str(rich_text or ""))))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def faq_page(faqs):
    """The FAQPage object for LocalizedFAQ groups (partnerships.queries)."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": question.question,
                "acceptedAnswer": {"@type": "Answer", "text": plain_text(question.answer)},
            }
            for faq in faqs
            for question in faq.questions
        ],
    }


def json_ld_script(data):
    """A <script type="application/ld+json"> element that is safe whatever the data holds."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(SCRIPT_SAFE_ESCAPES)),
    )
