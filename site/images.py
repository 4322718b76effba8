"""How renditions are made from an original image: one at a time, and never a server error.

Making a rendition decodes the whole original: about 320 MB of memory for a 40-megapixel photo
(the upload limit, WAGTAILIMAGES_MAX_IMAGE_PIXELS), for 1.7 s (docs/benchmarks.md, "Image
renditions"). Wagtail's AbstractImage.create_renditions, which `{% srcset_image %}` uses for
the renditions a page asks for that do not exist yet, decodes the original on three threads at
once: the first visitor of a page whose figure shows such a photo grew the worker by about
930 MB. CustomImage makes them one after another instead (the peak is one decode; the original
is read from storage once per rendition).

An original that cannot be decoded (truncated or corrupt, or stored before the pixel limit with
more than twice as many pixels, which Pillow refuses to open: DecompressionBombError) raises
Wagtail's SourceImageIOError, as a missing file does: `{% image %}` and `{% srcset_image %}`
then show Wagtail's "not found" placeholder, and the page is served.
"""

import logging

from PIL import Image as PILImage
from wagtail.images.models import SourceImageIOError

logger = logging.getLogger(__name__)


class BoundedRenditionsMixin:
    """For an image model (before AbstractImage in its bases)."""

    def create_renditions(self, *filters):
        # create_rendition() reads the original and makes the rendition in this thread; it also
        # copes with another process making the same rendition meanwhile (get_or_create).
        return {each: self.create_rendition(each) for each in filters}

    def generate_rendition_file(self, filter, *, source=None):
        try:
            return super().generate_rendition_file(filter, source=source)
        except SourceImageIOError:
            raise
        except (OSError, PILImage.DecompressionBombError) as error:
            logger.warning("Image %s (%s) cannot be decoded: %s", self.pk, self.file.name, error)
            raise SourceImageIOError(str(error)) from error
