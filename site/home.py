"""What the home page shows besides its own fields: each region is a query kept out of the
template, and each comes back empty when there is nothing (yet) to show."""


def featured_programmes(home_page):
    """The programmes editors picked, in the home page's language, in a fixed number of queries."""
    from programmes.queries import chosen_programmes

    return chosen_programmes(home_page.featured_programmes, home_page.locale_id)


def latest_resources(home_page):
    """The newest published resources in the home page's language."""
    from resources.queries import latest_resources as newest

    return newest(home_page.locale_id, home_page.latest_resources_count)


def home_regions(home_page):
    return {
        "featured_programmes": featured_programmes(home_page),
        "latest_resources": latest_resources(home_page),
    }
