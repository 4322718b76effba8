"""What the FAQ blocks of one page share while the page renders.

Blocks render one by one and know nothing of each other, yet the page needs:
- one schema.org FAQPage covering every FAQ on it (search engines expect a single one);
- ids unique across the page, even if two FAQs have a question with the same link name;
- the FAQs fetched together rather than block by block.
So the first FAQ block rendered for a request gathers every FAQ group of the page, and the
state lives on the request object, which lasts exactly one response.
"""

from dataclasses import dataclass, field

from . import queries, structured_data

REQUEST_ATTRIBUTE = "_partnerships_faq_rendering"
# Ids the site's base template already uses.
RESERVED_IDS = frozenset({"main-content"})


@dataclass
class PageFAQs:
    page_pk: int | None
    faqs: dict  # pk of the group a block points at -> queries.LocalizedFAQ
    used_ids: set = field(default_factory=lambda: set(RESERVED_IDS))
    structured_data_rendered: bool = False


def _page_faqs(context):
    request = context.get("request")
    page = context.get("page")
    page_pk = getattr(page, "pk", None)
    state = getattr(request, REQUEST_ATTRIBUTE, None)
    if state is None or state.page_pk != page_pk:
        groups = queries.faq_groups_on_page(page) if page_pk is not None else []
        state = PageFAQs(page_pk, {faq.source_pk: faq for faq in queries.localized_faqs(groups)})
        if request is not None:
            setattr(request, REQUEST_ATTRIBUTE, state)
    return state


def unique_id(used_ids, anchor):
    candidate, number = anchor, 1
    while candidate in used_ids:
        number += 1
        candidate = f"{anchor}-{number}"
    used_ids.add(candidate)
    return candidate


@dataclass
class RenderedQuestion:
    question: object  # FAQQuestion
    element_id: str


def faq_block_context(group, parent_context):
    """The context of one FAQ block: the localized group, its questions with their element ids,
    and, for the first FAQ block of the page, the FAQPage JSON-LD script."""
    state = _page_faqs(parent_context or {})
    faq = state.faqs.get(group.pk)
    if faq is None:  # e.g. a block previewed on its own, outside its page
        found = queries.localized_faqs([group])
        if not found:
            return {"faq": None}
        faq = state.faqs[group.pk] = found[0]
    questions = [
        RenderedQuestion(question, unique_id(state.used_ids, question.anchor or "question"))
        for question in faq.questions
    ]
    script = None
    if not state.structured_data_rendered:
        state.structured_data_rendered = True
        script = structured_data.json_ld_script(structured_data.faq_page(state.faqs.values()))
    return {"faq": faq, "questions": questions, "structured_data": script}
