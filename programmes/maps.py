"""The map of a project's places, computed on the server.

No tile server and no script: the page draws an inline SVG whose background is the world outline
shipped in programmes/static/programmes/world.svg (Natural Earth, see docs/programmes.md) and
whose points and labels are placed here. Both use the same equirectangular projection
(x = longitude + 180, y = 90 - latitude, in degrees), scaled and shifted so that the map shows
the places' bounding box with a margin rather than the whole world.
"""

from dataclasses import dataclass

from django.utils.text import slugify

# The SVG's coordinate system (viewBox). Labels are sized in these units, so they keep the same
# size relative to the map whatever the zoom.
WIDTH = 800
HEIGHT = 400
ASPECT = WIDTH / HEIGHT
# The smallest area shown, in degrees of longitude: one city alone still shows its region.
MIN_SPAN = 40.0
# Margin around the places, as a share of their extent plus a fixed part in degrees (room for
# the labels of the outermost places).
MARGIN_SHARE = 0.15
MARGIN_DEGREES = 8.0
POINT_RADIUS = 7
FONT_SIZE = 18
# Rough width of a character of the label font, as a share of the font size. Labels are
# measured with it to keep them from overlapping each other and the points.
CHARACTER_WIDTH = 0.6
LABEL_GAP = 5


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlap(self, other):
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.bottom, other.bottom) - max(self.top, other.top)
        return width * height if width > 0 and height > 0 else 0.0

    def outside(self, width, height):
        """How much of the box lies outside the map (0 when it fits)."""
        inside_width = max(min(self.right, width) - max(self.left, 0), 0)
        inside_height = max(min(self.bottom, height) - max(self.top, 0), 0)
        return (self.right - self.left) * (self.bottom - self.top) - inside_width * inside_height


@dataclass(frozen=True)
class MapPoint:
    place: object
    anchor: str  # id of the place's entry in the list under the map
    href: str  # the place's own link, or the entry in the list
    link_href: str  # the place's own link, or ""
    x: float
    y: float
    label_x: float
    label_y: float
    label_anchor: str  # SVG text-anchor: start, middle or end


@dataclass(frozen=True)
class PlacesMap:
    width: int
    height: int
    # Where the 360×180 world outline is drawn, in map units.
    world_x: float
    world_y: float
    world_width: float
    world_height: float
    points: list


@dataclass(frozen=True)
class Window:
    """The part of the world the map shows, in degrees."""

    west: float
    north: float
    span: float  # degrees of longitude across the map

    @property
    def scale(self):
        return WIDTH / self.span

    def project(self, longitude, latitude):
        return (longitude - self.west) * self.scale, (self.north - latitude) * self.scale


def window_around(coordinates):
    """The smallest window of the map's proportions that holds every (longitude, latitude) with a
    margin, kept inside the world."""
    longitudes = [longitude for longitude, _ in coordinates]
    latitudes = [latitude for _, latitude in coordinates]
    width = max(longitudes) - min(longitudes)
    height = max(latitudes) - min(latitudes)
    span = max(
        width * (1 + 2 * MARGIN_SHARE) + 2 * MARGIN_DEGREES,
        (height * (1 + 2 * MARGIN_SHARE) + 2 * MARGIN_DEGREES) * ASPECT,
        MIN_SPAN,
    )
    span = min(span, 360.0)
    span_latitude = span / ASPECT
    centre_longitude = (max(longitudes) + min(longitudes)) / 2
    centre_latitude = (max(latitudes) + min(latitudes)) / 2
    west = min(max(centre_longitude - span / 2, -180.0), 180.0 - span)
    north = max(min(centre_latitude + span_latitude / 2, 90.0), -90.0 + span_latitude)
    return Window(west=west, north=north, span=span)


def label_candidates(x, y, text):
    """Where a label may go around its point, best first: right, left, above, below."""
    width = len(text) * FONT_SIZE * CHARACTER_WIDTH
    offset = POINT_RADIUS + LABEL_GAP
    # The text's baseline sits about a third of the font size below the middle of the capitals.
    baseline = FONT_SIZE * 0.35
    half = FONT_SIZE / 2
    right = Box(x + offset, y - half, x + offset + width, y + half)
    left = Box(x - offset - width, y - half, x - offset, y + half)
    above = Box(x - width / 2, y - offset - FONT_SIZE, x + width / 2, y - offset)
    below = Box(x - width / 2, y + offset, x + width / 2, y + offset + FONT_SIZE)
    return [
        ("start", x + offset, y + baseline, right),
        ("end", x - offset, y + baseline, left),
        ("middle", x, y - offset, above),
        ("middle", x, y + offset + FONT_SIZE * 0.8, below),
    ]


def place_labels(positions, texts):
    """Choose a label position for each point, greedily from west to east: the first candidate
    that overlaps no point, no label placed so far and stays on the map, else the candidate that
    overlaps least. Returns (text-anchor, x, y) per point, in the input order."""
    point_boxes = [
        Box(x - POINT_RADIUS, y - POINT_RADIUS, x + POINT_RADIUS, y + POINT_RADIUS)
        for x, y in positions
    ]
    placed = []
    chosen = [None] * len(positions)
    for index in sorted(range(len(positions)), key=lambda i: positions[i]):
        x, y = positions[index]
        best, best_cost = None, None
        for anchor, label_x, label_y, box in label_candidates(x, y, texts[index]):
            cost = (
                sum(box.overlap(other) for other in placed)
                + sum(box.overlap(other) for other in point_boxes)
                + box.outside(WIDTH, HEIGHT) * 2
            )
            # Among equally good positions the earlier (preferred) one wins.
            if best_cost is None or cost < best_cost:
                best, best_cost = (anchor, label_x, label_y, box), cost
            if cost == 0:
                break
        anchor, label_x, label_y, box = best
        placed.append(box)
        chosen[index] = (anchor, label_x, label_y)
    return chosen


def place_anchors(places):
    """A readable, unique id for each place's entry in the list: place-accra, place-accra-2…"""
    seen = set()
    anchors = []
    for place in places:
        base = f"place-{slugify(place.city) or 'city'}"
        anchor, number = base, 1
        while anchor in seen:
            number += 1
            anchor = f"{base}-{number}"
        seen.add(anchor)
        anchors.append(anchor)
    return anchors


def place_link(place, request):
    """The place's own link: the page of the site (if published) or the outside address."""
    page = getattr(place, "link_target", None) or place.link_page
    if page is not None:
        return page.get_url(request) if page.live else ""
    return place.link_url


def places_map(places, request=None):
    """The map of `places` (objects with city, latitude and longitude), or None without places."""
    places = list(places)
    if not places:
        return None
    window = window_around([(place.longitude, place.latitude) for place in places])
    positions = [window.project(place.longitude, place.latitude) for place in places]
    labels = place_labels(positions, [place.city for place in places])
    world_x, world_y = window.project(-180, 90)
    points = []
    for place, anchor, (x, y), (label_anchor, label_x, label_y) in zip(
        places, place_anchors(places), positions, labels, strict=True
    ):
        link = place_link(place, request)
        points.append(
            MapPoint(
                place=place,
                anchor=anchor,
                href=link or f"#{anchor}",
                link_href=link,
                x=round(x, 1),
                y=round(y, 1),
                label_x=round(label_x, 1),
                label_y=round(label_y, 1),
                label_anchor=label_anchor,
            )
        )
    return PlacesMap(
        width=WIDTH,
        height=HEIGHT,
        world_x=round(world_x, 2),
        world_y=round(world_y, 2),
        world_width=round(360 * window.scale, 2),
        world_height=round(180 * window.scale, 2),
        points=points,
    )
