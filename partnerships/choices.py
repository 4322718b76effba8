"""Choices shared by the models and the blocks (kept apart so that blocks need not import the
models, which import the blocks)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FunderType(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    GOVERNMENT = "government", _("Government")
    MULTILATERAL = "multilateral", _("Multilateral organisation")
    ORGANISATION = "organisation", _("Organisation")


# Headings of the groups of funders on the site, in the order the groups are shown.
FUNDER_TYPE_HEADINGS = {
    FunderType.FOUNDATION: _("Foundations"),
    FunderType.GOVERNMENT: _("Governments and public agencies"),
    FunderType.MULTILATERAL: _("Multilateral organisations"),
    FunderType.ORGANISATION: _("Other organisations"),
}
