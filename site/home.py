"""What the home page shows besides its own fields: each region is a query kept out of the
template, and each comes back empty when there is nothing (yet) to show."""

from django.urls import NoReverseMatch, reverse


def featured_programmes(home_page):
    links = home_page.featured_programmes.select_related("page").all()
    return [link.page.specific for link in links if link.page.live]


def newsletter_signup_url():
    # The newsletter form belongs to the partnerships app; until it exists the region is empty.
    try:
        return reverse("newsletter_signup")
    except NoReverseMatch:
        return None


def home_regions(home_page):
    return {
        "featured_programmes": featured_programmes(home_page),
        "latest_resources": [],
        "newsletter_signup_url": newsletter_signup_url(),
    }
