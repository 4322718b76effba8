"""What the home page shows besides its own fields: each region is a query kept out of the
template, and each comes back empty when there is nothing (yet) to show."""

from django.urls import NoReverseMatch, reverse


def featured_programmes(home_page):
    """The programmes editors picked, in the home page's language, in a fixed number of queries."""
    from programmes.queries import chosen_programmes

    return chosen_programmes(home_page.featured_programmes, home_page.locale_id)


def latest_resources(home_page):
    """The newest published resources in the home page's language."""
    from resources.queries import latest_resources as newest

    return newest(home_page.locale_id, home_page.latest_resources_count)


def newsletter_signup_url():
    # The newsletter form belongs to the partnerships app; until it exists the region is empty.
    try:
        return reverse("newsletter_signup")
    except NoReverseMatch:
        return None


def home_regions(home_page):
    return {
        "featured_programmes": featured_programmes(home_page),
        "latest_resources": latest_resources(home_page),
        "newsletter_signup_url": newsletter_signup_url(),
    }
