"""Every rendition the site's templates ask for, in one place, by what the image is used for.

The templates spell their specs out (`{% srcset_image ... fill-{480x270,800x450,1200x675}-c100
format-webp %}`: a template tag takes no variable for them); tests/site/test_prebuilt_renditions.py
checks that every spec of every template is listed here, so that a new or changed tag cannot be
forgotten. ngo_site.prebuilt_renditions builds these renditions when a page is published, a
snippet saved or an image replaced, so that no visitor waits for them.
"""

# site/templates/blocks/figure_block.html: an image in a page's text (its srcset).
FIGURE = (
    "fill-480x270-c100|format-webp",
    "fill-800x450-c100|format-webp",
    "fill-1200x675-c100|format-webp",
)
# templates/includes/page_card.html: a page's card in lists (ngo_site.cards prefetches them).
CARD = (
    "fill-480x270-c100|format-webp",
    "fill-960x540-c100|format-webp",
)
# templates/includes/meta.html ({% open_graph_image %}): the link preview's picture.
SOCIAL = ("fill-1200x630",)
# resources/templates/resources/resource_page.html: a resource's cover.
RESOURCE_COVER = ("width-480",)
# partnerships/templates/partnerships/blocks/funders_block.html: a funder's logo.
FUNDER_LOGO = ("max-240x96",)

# The renditions an image needs, by the name of the model's field that uses it (a page's card
# picture falls back to its social image, and the link preview to its picture).
BY_FIELD = {
    "image": CARD + SOCIAL + RESOURCE_COVER,
    "social_image": CARD + SOCIAL,
    "logo": FUNDER_LOGO,
}
# An image inside a StreamField: only the figure block shows images there.
IN_STREAM = FIGURE

ALL = tuple(dict.fromkeys(FIGURE + CARD + SOCIAL + RESOURCE_COVER + FUNDER_LOGO))


def specs_for_model_path(model_path):
    """The specs for an image used at `model_path`, as Wagtail's reference index records it: a
    field's name ("social_image"), or a path into a StreamField ("body.image.image")."""
    if "." not in model_path:
        return BY_FIELD.get(model_path, ())
    return IN_STREAM
