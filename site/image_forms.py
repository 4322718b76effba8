"""The admin's image form (settings.WAGTAILIMAGES_IMAGE_FORM_BASE): alt text is required, and
an uploaded file must be an image small enough to be worked on.

Wagtail 7 stores an image's alternative text in `description` (templates use
`image.contextual_alt_text`, which falls back to the title, a file name more often than not).
Images that are purely decorative do not exist on this site: every picture says something.

Every way an editor gives an image file goes through this form: the image add view, the
multiple uploader (which builds the same form for each file it posts), replacing the file in the
edit view and the chooser's upload tab. Its file field counts the pixels the file declares
(Wagtail's WAGTAILIMAGES_MAX_IMAGE_PIXELS, 40 megapixels here: IMAGE_MAX_MEGAPIXELS) from the
header alone, before anything is decoded, so that no rendition is ever made from a bigger
picture. A file whose header declares so many pixels that Pillow refuses even to open it (a
"decompression bomb", Image.DecompressionBombError) gets the same kind of form error instead of
a server error, and so does a file whose first bytes name an image format but whose header is
unreadable (Wagtail only checks those first bytes before asking Pillow for the size).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

MEGAPIXEL = 1_000_000


def megapixels(pixels):
    """`pixels` in megapixels, rounded up to one decimal (40.1, not 40, for 40 000 001)."""
    tenths = -(-pixels * 10 // MEGAPIXEL)
    return f"{tenths // 10}.{tenths % 10}" if tenths % 10 else str(tenths // 10)


class PixelLimitedImageField(WagtailImageField):
    """Wagtail's image field, with a pixel limit that editors can read and that also holds for
    files too big for Pillow to open."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_image_pixels is None:
            return
        limit = {"max_megapixels": megapixels(self.max_image_pixels)}
        if self.max_upload_size is not None:
            self.help_text = _(
                "Supported formats: %(supported_formats)s. Maximum file size: "
                "%(max_upload_size)s; at most %(max_megapixels)s megapixels (for example "
                "8000 × 5000 pixels)."
            ) % {
                "supported_formats": self.supported_formats_text,
                "max_upload_size": self.max_upload_size_text,
                **limit,
            }
        self.error_messages["file_too_many_pixels"] = _(
            "This image is %(width)s × %(height)s pixels (%(megapixels)s megapixels): images may "
            "have at most %(max_megapixels)s megapixels. Make it smaller, for example 4000 "
            "pixels wide, and upload it again."
        )
        self.error_messages["decompression_bomb"] = (
            _(
                "This file says it holds a picture of far too many pixels to be opened safely: "
                "images may have at most %(max_megapixels)s megapixels. If it is a real photo, "
                "make it smaller and upload it again."
            )
            % limit
        )

    def check_image_pixel_size(self, f):
        try:
            width, height = f.image.get_size()
            frames = f.image.get_frame_count()
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
            # Pillow refuses to open more than twice its MAX_IMAGE_PIXELS (set to this limit in
            # the settings); the warning is an error too where warnings are made errors.
            message = self.error_messages.get("decompression_bomb")  # None: no pixel limit
            raise ValidationError(
                message or self.error_messages["invalid_image"], code="file_too_many_pixels"
            ) from error
        except Exception as error:
            # A file whose first bytes say PNG or GIF but whose header Pillow cannot read (any
            # exception, as Wagtail's own opening of the file catches).
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error
        if self.max_image_pixels is None:
            return
        # Willow counts one frame with Pillow, which makes renditions of an animation's first
        # frame only; with Wand every frame would be worked on, and counts.
        pixels = width * height * frames
        if pixels <= self.max_image_pixels:
            return
        raise ValidationError(
            self.error_messages["file_too_many_pixels"]
            % {
                "width": width,
                "height": height,
                "megapixels": megapixels(pixels),
                "max_megapixels": megapixels(self.max_image_pixels),
            },
            code="file_too_many_pixels",
        )


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        file_field = self.fields.get("file")
        if file_field is not None:
            # Wagtail builds the field itself (its formfield callback wins over the form's);
            # this one keeps its label, its required flag and its widget (with Wagtail's attrs).
            self.fields["file"] = PixelLimitedImageField(
                label=file_field.label, required=file_field.required, widget=file_field.widget
            )
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
