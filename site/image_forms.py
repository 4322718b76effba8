"""The admin's image form (settings.WAGTAILIMAGES_IMAGE_FORM_BASE): alt text is required.

Wagtail 7 stores an image's alternative text in `description` (templates use
`image.contextual_alt_text`, which falls back to the title, a file name more often than not).
Images that are purely decorative do not exist on this site: every picture says something.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = self.fields.get("description")
        # Wagtail's bulk uploader sends the file alone, then shows this form for each uploaded
        # image, where the alt text is asked for; everywhere else it is required.
        bulk_upload = self.is_bound and "description" not in self.data and not self.prefix
        if description is not None and not bulk_upload:
            description.required = True
            description.help_text = _(
                "Alternative text: what the picture shows, for people who cannot see it "
                "(e.g. “Street vendors selling fruit at a market in Accra”). Required."
            )
