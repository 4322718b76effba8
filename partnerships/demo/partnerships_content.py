"""Demo section: the funding policy, the FAQ, the funders and the partnerships page (English).

Snippets are matched by a stable key (the policy's and the FAQ's title, a funder's name, a
question's anchor), so a second `load_demo` changes nothing. The page refers to its snippets as
"@funding_policy:<key>" and "@faq:<key>", resolved here to primary keys.
"""

from pathlib import Path

from django.conf import settings

from ngo_site.demo.loader import home_page_for, read_yaml
from partnerships.models import FAQGroup, FAQQuestion, Funder, FundingPolicy, PartnershipsPage

DATA = Path(__file__).with_name("partnerships.yaml")


def load_faq(loader, data, locale):
    """The FAQ group and its questions, updated in place (matched by anchor) so that the
    questions keep their translation keys, hence their French translations, across loads."""
    group = loader.snippet(
        FAQGroup,
        {"title": data["title"], "locale": locale},
        {"introduction": data.get("introduction", "")},
    )
    existing = {question.anchor: question for question in group.questions.all()}
    for position, item in enumerate(data["questions"]):
        question = existing.pop(item["anchor"], None)
        wanted = {"question": item["question"], "answer": item["answer"], "sort_order": position}
        if question is None:
            FAQQuestion.objects.create(group=group, locale=locale, anchor=item["anchor"], **wanted)
            loader._count("created", f"question {item['anchor']}")
        elif any(getattr(question, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(question, name, value)
            question.save()
            loader._count("updated", f"question {item['anchor']}")
        else:
            loader._count("unchanged", f"question {item['anchor']}")
    for question in existing.values():
        question.delete()
        loader._count("updated", f"question {question.anchor} (removed)")
    return group


def load_funders(loader, funders, locale):
    for position, item in enumerate(funders):
        fields = {key: value for key, value in item.items() if key not in ("name", "logo")}
        fields["sort_order"] = position
        logo = item.get("logo")
        if logo:
            image = loader.image(
                logo["key"],
                logo["title"],
                credit="Placeholder logo generated for the demo",
                colours=tuple(logo.get("colours", ("#6b1d5c", "#f4b942"))),
                logo=True,
            )
            fields["logo"] = image.pk
        loader.snippet(Funder, {"name": item["name"], "locale": locale}, fields)


def resolve_snippets(value, snippets):
    """Replace "@funding_policy:<key>" and "@faq:<key>" (anywhere in nested data) by pks."""
    if isinstance(value, dict):
        return {key: resolve_snippets(item, snippets) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_snippets(item, snippets) for item in value]
    if isinstance(value, str) and value.startswith("@"):
        kind, _, key = value[1:].partition(":")
        if kind in snippets:
            return snippets[kind][key].pk
    return value


def load(loader):
    data = read_yaml(DATA)
    english = loader.locale(settings.LANGUAGE_CODE)
    home = loader.pages.get("home") or home_page_for(english)

    policy_data = data["funding_policy"]
    policy = loader.snippet(
        FundingPolicy,
        {"title": policy_data["title"], "locale": english},
        {"body": policy_data["body"]},
    )
    faq = load_faq(loader, data["faq"], english)
    load_funders(loader, data["funders"], english)

    snippets = {
        "funding_policy": {policy_data["key"]: policy},
        "faq": {data["faq"]["key"]: faq},
    }
    page_data = resolve_snippets(dict(data["page"]), snippets)
    if page_data.get("citation_page", "").removeprefix("@page:") not in loader.pages:
        # The library comes from another section; without it the page simply has no link.
        page_data["citation_page"] = None
    fields = {key: value for key, value in page_data.items() if key != "slug"}
    loader.page(home, PartnershipsPage, page_data["slug"], fields, key="partnerships")
