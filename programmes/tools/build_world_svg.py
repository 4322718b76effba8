"""Build programmes/static/programmes/world.svg, the world outline behind project maps.

A development-time tool, never run by the site. The outline is derived from Natural Earth's
1:110m countries (public domain) as redistributed in TopoJSON by the npm package `world-atlas`
(ISC licence, © 2013-2019 Michael Bostock). To rebuild it:

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    .venv/bin/python programmes/tools/build_world_svg.py /tmp/package/countries-110m.json

The projection is equirectangular in degrees: x = longitude + 180, y = 90 - latitude, so the
SVG's viewBox is 0 0 360 180 and programmes/maps.py projects places with the same formula.
"""

import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "static" / "programmes" / "world.svg"
# Points closer than this to the simplified line are dropped (degrees, about 5 km): invisible
# at the zoom levels of a project map, and it keeps the file small.
TOLERANCE = 0.05
DECIMALS = 2


def decode_arcs(topology):
    """TopoJSON arcs are quantised and delta-encoded: turn them into lists of (lon, lat)."""
    (scale_x, scale_y), (translate_x, translate_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)
    return arcs


def arc_points(arcs, index):
    # A negative index (~i) means arc i walked backwards.
    return arcs[index] if index >= 0 else list(reversed(arcs[~index]))


def ring(arcs, indexes):
    points = []
    for index in indexes:
        part = arc_points(arcs, index)
        # Consecutive arcs share their end point.
        points.extend(part if not points else part[1:])
    return points


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def simplify(points, tolerance):
    """Douglas-Peucker, iterative (rings can be long)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        (x1, y1), (x2, y2) = points[start], points[end]
        dx, dy = x2 - x1, y2 - y1
        length_squared = dx * dx + dy * dy
        farthest, farthest_distance = None, tolerance
        for i in range(start + 1, end):
            px, py = points[i]
            if length_squared == 0:
                distance = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            else:
                t = max(0, min(1, ((px - x1) * dx + (py - y1) * dy) / length_squared))
                distance = ((px - x1 - t * dx) ** 2 + (py - y1 - t * dy) ** 2) ** 0.5
            if distance > farthest_distance:
                farthest, farthest_distance = i, distance
        if farthest is not None:
            keep[farthest] = True
            stack.extend([(start, farthest), (farthest, end)])
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def unwrap(points):
    """Make longitudes continuous: a ring that crosses the antimeridian (Russia, Fiji) jumps from
    +179.9 to -179.9, which would draw a band across the whole map. After unwrapping, such a ring
    extends past 180 (or -180) instead."""
    result = []
    for lon, lat in points:
        if result:
            previous = result[-1][0]
            while lon - previous > 180:
                lon -= 360
            while previous - lon > 180:
                lon += 360
        result.append((lon, lat))
    return result


def copies(points):
    """The unwrapped line, plus a copy shifted by 360° if it runs off one side of the map, so
    that each side shows its part (the viewBox clips what lies outside)."""
    points = unwrap(points)
    result = [points]
    if max(lon for lon, _ in points) > 180:
        result.append([(lon - 360, lat) for lon, lat in points])
    if min(lon for lon, _ in points) < -180:
        result.append([(lon + 360, lat) for lon, lat in points])
    return result


def svg_coordinates(points):
    result = []
    for lon, lat in points:
        pair = (round(lon + 180, DECIMALS), round(90 - lat, DECIMALS))
        if not result or result[-1] != pair:
            result.append(pair)
    return result


def number(value):
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return text or "0"


def path_data(lines, close):
    parts = []
    for line in lines:
        if len(line) < (4 if close else 2):
            continue
        head, *tail = line
        parts.append(
            f"M{number(head[0])} {number(head[1])}"
            + "L"
            + " ".join(f"{number(x)} {number(y)}" for x, y in tail)
            + ("Z" if close else "")
        )
    return "".join(parts)


def build(topology):
    arcs = decode_arcs(topology)
    simplified = [simplify(arc, TOLERANCE) for arc in arcs]

    land_rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        for polygon in polygons(geometry):
            for indexes in polygon:
                land_rings.extend(
                    svg_coordinates(copy) for copy in copies(ring(simplified, indexes))
                )

    # Borders between countries are the arcs that two different countries share.
    users = {}
    for number_, geometry in enumerate(topology["objects"]["countries"]["geometries"]):
        for polygon in polygons(geometry):
            for indexes in polygon:
                for index in indexes:
                    users.setdefault(index if index >= 0 else ~index, set()).add(number_)
    borders = [
        svg_coordinates(copy)
        for index, countries in sorted(users.items())
        if len(countries) > 1
        for copy in copies(simplified[index])
    ]
    return path_data(land_rings, close=True), path_data(borders, close=False)


def main(source):
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    land, borders = build(topology)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180" '
        'preserveAspectRatio="none">\n'
        "<!-- Natural Earth 1:110m land and country borders (public domain), via the world-atlas\n"
        "     package (ISC licence, (c) 2013-2019 Michael Bostock). Equirectangular projection:\n"
        "     x = longitude + 180, y = 90 - latitude. Made by programmes/tools/build_world_svg.py\n"
        "-->\n"
        f'<path fill="#d9d3c7" fill-rule="evenodd" d="{land}"/>\n'
        f'<path fill="none" stroke="#ffffff" stroke-width="0.25" stroke-linejoin="round" '
        f'd="{borders}"/>\n'
        "</svg>\n"
    )
    OUTPUT.write_text(svg, encoding="utf-8")
    print(f"{OUTPUT}: {len(svg.encode()):,} bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/package/countries-110m.json")
