"""Demo section: the programme index, the five programmes, their projects with their places and
contributing programmes, and the home page's featured programmes. Runs after the resources
section, whose resources and documents it refers to.

Pages refer to each other in both directions (Social Protection links to Focal Cities, which
links back), so pages are written in two passes: first without the fields that refer to pages
not created yet, then, for those pages only, with every field. A second `load_demo` finds
everything unchanged in both passes.
"""

from pathlib import Path

from ngo_site.demo.loader import home_page_for, read_yaml
from ngo_site.models import HomePage
from programmes.models import ProgrammeIndexPage, ProgrammePage, ProjectPage

DATA = Path(__file__).with_name("programmes.yaml")
NOT_FIELDS = (
    "key",
    "slug",
    "programme",
    "places",
    "contributions",
    "related_resources",
    "featured_resources",
)


def page_references(value):
    """The keys of every "@page:<key>" in a nested value."""
    if isinstance(value, dict):
        return {key for item in value.values() for key in page_references(item)}
    if isinstance(value, list):
        return {key for item in value for key in page_references(item)}
    if isinstance(value, str) and value.startswith("@page:"):
        return {value.removeprefix("@page:")}
    return set()


class TwoPassPages:
    """Writes pages whose references are known now and remembers the rest for `finish()`."""

    def __init__(self, loader):
        self.loader = loader
        self.deferred = []

    def page(self, parent, model, item, children_names=()):
        fields = {name: value for name, value in item.items() if name not in NOT_FIELDS}
        children = {name: item[name] for name in children_names if name in item}
        ready_fields = {
            name: value
            for name, value in fields.items()
            if page_references(value) <= self.loader.pages.keys()
        }
        ready_children = {
            name: rows
            for name, rows in children.items()
            if page_references(rows) <= self.loader.pages.keys()
        }
        page = self.loader.page(
            parent, model, item["slug"], ready_fields, ready_children, key=item["key"]
        )
        if ready_fields != fields or ready_children != children:
            self.deferred.append((parent, model, item["slug"], fields, children, item["key"]))
        return page

    def finish(self):
        for parent, model, slug, fields, children, key in self.deferred:
            self.loader.page(parent, model, slug, fields, children, key=key)


def programme_index_first(index, home):
    """The primary navigation follows the tree order: keep Programmes before the library, which
    the resources section created earlier."""
    library = home.get_children().filter(slug="resources").first()
    if library is not None and library.path < index.path:
        index.move(library, pos="left")
        index.refresh_from_db()


def load(loader):
    data = read_yaml(DATA)
    home = loader.pages.get("home") or home_page_for(loader.locale("en"))
    for image in data["images"]:
        loader.image(
            image["key"],
            image["title"],
            credit=image.get("credit", ""),
            description=image.get("description", ""),
            colours=tuple(image["colours"]),
        )

    index_data = data["index"]
    index_fields = {name: value for name, value in index_data.items() if name != "slug"}
    index = loader.page(
        home, ProgrammeIndexPage, index_data["slug"], index_fields, key="programme-index"
    )
    programme_index_first(index, home)

    pages = TwoPassPages(loader)
    programmes = {}
    for item in data["programmes"]:
        programmes[item["key"]] = pages.page(
            index, ProgrammePage, item, children_names=["featured_resources"]
        )
    for item in data["projects"]:
        pages.page(
            programmes[item["programme"]],
            ProjectPage,
            item,
            children_names=["places", "contributions", "related_resources"],
        )
    pages.finish()

    featured = [{"page": f"@page:{key}"} for key in data["home_featured_programmes"]]
    loader.page(home.get_parent(), HomePage, home.slug, {}, {"featured_programmes": featured})
