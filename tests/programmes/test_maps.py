"""The server-side map: projection, zoom and label placement, without a database."""

from dataclasses import dataclass

import pytest

from programmes import maps


@dataclass
class Place:
    city: str
    latitude: float
    longitude: float
    country: str = ""
    link_page: object = None
    link_url: str = ""


FOCAL_CITIES = [
    Place("Accra", 5.6037, -0.187),
    Place("Lima", -12.0464, -77.0428),
    Place("Delhi", 28.6139, 77.209),
    Place("Dakar", 14.7167, -17.4677),
    Place("Mexico City", 19.4326, -99.1332),
]


def label_box(point):
    width = len(point.place.city) * maps.FONT_SIZE * maps.CHARACTER_WIDTH
    left = {
        "start": point.label_x,
        "end": point.label_x - width,
        "middle": point.label_x - width / 2,
    }[point.label_anchor]
    baseline = point.label_y
    return maps.Box(left, baseline - maps.FONT_SIZE, left + width, baseline + maps.FONT_SIZE * 0.3)


def test_no_places_no_map():
    assert maps.places_map([]) is None


def test_every_place_is_on_the_map_inside_the_margins():
    places_map = maps.places_map(FOCAL_CITIES)
    assert len(places_map.points) == 5
    for point in places_map.points:
        assert 0 < point.x < maps.WIDTH
        assert 0 < point.y < maps.HEIGHT


def test_projection_keeps_geography():
    points = {point.place.city: point for point in maps.places_map(FOCAL_CITIES).points}
    # West to east and north to south, as on any map.
    assert points["Mexico City"].x < points["Lima"].x < points["Dakar"].x < points["Accra"].x
    assert points["Accra"].x < points["Delhi"].x
    assert points["Delhi"].y < points["Accra"].y < points["Lima"].y


def test_map_zooms_on_the_places_but_not_below_a_region():
    focal = maps.places_map(FOCAL_CITIES)
    # Less than the whole world: the outline is drawn larger than the map.
    assert focal.world_width > maps.WIDTH
    one = maps.places_map([Place("Kigali", -1.9441, 30.0619)])
    # One city alone shows MIN_SPAN degrees of longitude.
    assert one.world_width == pytest.approx(360 * maps.WIDTH / maps.MIN_SPAN, rel=0.01)
    (point,) = one.points
    assert point.x == pytest.approx(maps.WIDTH / 2, abs=1)


def test_window_stays_inside_the_world():
    far = [Place("Suva", -18.1416, 178.4419), Place("Apia", -13.8333, -171.7667)]
    places_map = maps.places_map(far)
    assert places_map.world_x <= 0
    assert places_map.world_x + places_map.world_width >= maps.WIDTH
    for point in places_map.points:
        assert 0 <= point.x <= maps.WIDTH


def test_labels_of_focal_cities_do_not_collide():
    points = maps.places_map(FOCAL_CITIES).points
    boxes = [label_box(point) for point in points]
    for number, box in enumerate(boxes):
        assert box.outside(maps.WIDTH, maps.HEIGHT) == 0
        for other in boxes[number + 1 :]:
            assert box.overlap(other) == 0
        for point in points:
            dot = maps.Box(
                point.x - maps.POINT_RADIUS,
                point.y - maps.POINT_RADIUS,
                point.x + maps.POINT_RADIUS,
                point.y + maps.POINT_RADIUS,
            )
            assert box.overlap(dot) == 0


def test_crowded_labels_move_aside():
    # Three cities a few kilometres apart: the labels cannot all go to the right.
    crowded = [
        Place("Alpha", 10.0, 10.0),
        Place("Bravo", 10.3, 10.0),
        Place("Charlie", 9.7, 10.0),
    ]
    anchors = {point.label_anchor for point in maps.places_map(crowded).points}
    assert len(anchors) > 1


def test_points_link_to_their_entry_in_the_list_unless_they_have_a_link():
    places = [
        Place("Accra", 5.6, -0.19),
        Place("Accra", 5.6, -0.19),
        Place("Lima", -12.0, -77.0, link_url="https://example.org/lima"),
    ]
    points = maps.places_map(places).points
    assert [point.anchor for point in points] == ["place-accra", "place-accra-2", "place-lima"]
    assert [point.href for point in points] == [
        "#place-accra",
        "#place-accra-2",
        "https://example.org/lima",
    ]
