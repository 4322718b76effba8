"""The rich-text feature lists of the site, defined once.

This module imports nothing (no models, no blocks), so any module may import it without an import
cycle: ngo_site.blocks, the apps' models and partnerships.blocks (which ngo_site.blocks loads).
A field's `features` is part of its migration state: changing a list here makes a migration for
every field that uses it.
"""

# Inline text: emphasis and links (to pages, URLs and documents).
INLINE_FEATURES = ["bold", "italic", "link", "document-link"]
# Body text: inline text plus sub-headings, lists and rules (a page's h2 is the section block's).
BODY_FEATURES = [*INLINE_FEATURES, "h3", "h4", "ol", "ul", "hr"]
# Inline text plus lists (an FAQ answer, a funding policy's criteria).
INLINE_WITH_LISTS_FEATURES = [*INLINE_FEATURES, "ol", "ul"]
