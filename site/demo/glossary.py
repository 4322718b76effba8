"""The demo's glossary: the translated names of the library's taxonomies and of the programmes
(translation_queue.glossary.seed_glossary), once the sections before it translated them."""

from ngo_site.translation_queue.glossary import seed_glossary


def load(loader):
    seed_glossary()
