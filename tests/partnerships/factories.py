"""factory-boy factories for the partnerships app.

policy = FundingPolicyFactory(body="<p>No money from companies.</p>")
faq = FAQGroupFactory()                      # with three questions
faq = FAQGroupFactory(questions=0)           # none; add FAQQuestionFactory(group=faq)
page = PartnershipsPageFactory(parent=home_page, body=[policy_block(policy), faq_block(faq)])
"""

import io

import factory
from django.core.files.images import ImageFile
from wagtail.models import Locale

from ngo_site.models import CustomImage
from partnerships.models import (
    ContactSubmission,
    FAQGroup,
    FAQQuestion,
    Funder,
    FunderType,
    FundingPolicy,
    NewsletterSubscriber,
    PartnershipsPage,
)
from tests.site.factories import PageFactory


def default_locale():
    return Locale.get_default()


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Example Foundation {n}")
    funder_type = FunderType.FOUNDATION
    website = factory.LazyAttribute(
        lambda funder: f"https://{funder.name.split()[-1]}.example.org/"
    )
    since_year = 2015
    locale = factory.LazyFunction(default_locale)
    sort_order = factory.Sequence(lambda n: n)


class FundingPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingPolicy

    title = "We accept no funding from private companies"
    body = "<p>Our board decided that we take no money from private companies.</p>"
    locale = factory.LazyFunction(default_locale)


class FAQGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FAQGroup
        skip_postgeneration_save = True

    title = "Frequently asked questions"
    locale = factory.LazyFunction(default_locale)

    @factory.post_generation
    def questions(group, create, extracted, **kwargs):
        """`questions=N` adds N generated questions (3 by default)."""
        if not create:
            return
        for _ in range(3 if extracted is None else extracted):
            FAQQuestionFactory(group=group)


class FAQQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FAQQuestion

    group = factory.SubFactory(FAQGroupFactory, questions=0)
    locale = factory.LazyAttribute(lambda question: question.group.locale)
    question = factory.Sequence(lambda n: f"Question number {n}?")
    answer = factory.Sequence(lambda n: f"<p>Answer number {n}.</p>")
    sort_order = factory.Sequence(lambda n: n)


class PartnershipsPageFactory(PageFactory):
    class Meta:
        model = PartnershipsPage

    title = "Partnerships"
    slug = "partnerships"
    introduction = "<p>Our mission is decent work for informal workers.</p>"


class ContactSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactSubmission

    name = factory.Sequence(lambda n: f"Visitor {n}")
    email = factory.Sequence(lambda n: f"visitor{n}@example.org")
    topic = "media"
    message = "Could we interview someone about street vendors?"
    language = "en"


class NewsletterSubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterSubscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    language = "en"


# StreamField values, as the raw data editors' choices are stored as.
def policy_block(policy):
    return {"type": "funding_policy", "value": {"policy": policy.pk}}


def faq_block(group):
    return {"type": "faq", "value": {"faq": group.pk}}


def funders_block(heading="Our funders", funder_types=()):
    return {
        "type": "funders",
        "value": {"heading": heading, "introduction": "", "funder_types": list(funder_types)},
    }


def newsletter_block(heading="Stay informed"):
    return {"type": "newsletter", "value": {"heading": heading, "text": ""}}


def tiny_image(title="Logo"):
    """A real (8x4 pixel) PNG image, enough for renditions."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 4), "#6b1d5c").save(buffer, format="PNG")
    image = CustomImage(title=title)
    image.file = ImageFile(buffer, name="logo.png")
    image.save()
    return image
