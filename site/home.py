"""What the home page shows besides its own fields: each region is a query kept out of the
template, registered by the app that owns it with Wagtail's hook `ngo_site_home_regions` (a
function of the home page returning {template variable: value}), e.g. the featured programmes
(programmes/wagtail_hooks.py) and the latest resources (resources/wagtail_hooks.py). Each comes
back empty when there is nothing (yet) to show; the template skips a region nobody registered."""

from wagtail import hooks

HOME_REGIONS_HOOK = "ngo_site_home_regions"


def home_regions(home_page):
    regions = {}
    for region in hooks.get_hooks(HOME_REGIONS_HOOK):
        regions.update(region(home_page))
    return regions
