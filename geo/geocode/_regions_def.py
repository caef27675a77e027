"""Definitions of the parts of a governorate and of the named multi-governorate areas of Syria.

A *part* ("SY-DR:south") is the governorate's polygon clipped to the half of its bounding box on that side;
a diagonal part ("SY-ID:southwest") to the quarter in that corner.
An *area* ("area:southern-syria") is the union of the governorates listed here; the names are the phrases
that select it. These are the project's own conventions, documented in data/SOURCES.md.
"""

from __future__ import annotations

PARTS: dict[str, str] = {"north": "Northern", "south": "Southern", "east": "Eastern", "west": "Western",
                         "northeast": "Northeastern", "northwest": "Northwestern", "southeast": "Southeastern",
                         "southwest": "Southwestern"}

AREAS: dict[str, dict] = {
    "southern-syria": {
        "label": "Southern Syria (Daraa, Quneitra, As-Suwayda)",
        "members": ("SY-DR", "SY-QU", "SY-SU"),
        "names": ("southern Syria", "south Syria", "the south", "south", "south of Syria", "Syria's south",
                  "the Syrian south", "جنوب سوريا", "الجنوب السوري"),
    },
    "southwest-syria": {
        "label": "Southwest Syria (Daraa, Quneitra)",
        "members": ("SY-DR", "SY-QU"),
        "names": ("southwest Syria", "southwestern Syria", "south-west Syria", "south-western Syria",
                  "the southwest", "southwest", "جنوب غرب سوريا"),
    },
    "northwest-syria": {
        "label": "Northwest Syria (Idlib, Aleppo)",
        "members": ("SY-ID", "SY-HL"),
        "names": ("northwest Syria", "northwestern Syria", "north-west Syria", "north-western Syria",
                  "the northwest", "northwest", "شمال غرب سوريا"),
    },
    "northeast-syria": {
        "label": "Northeast Syria (Al-Hasakah, Raqqa, Deir ez-Zor)",
        "members": ("SY-HA", "SY-RA", "SY-DY"),
        "names": ("northeast Syria", "northeastern Syria", "north-east Syria", "north-eastern Syria",
                  "the northeast", "northeast", "شمال شرق سوريا"),
    },
    "northern-syria": {
        "label": "Northern Syria (Aleppo, Idlib, Raqqa, Al-Hasakah)",
        "members": ("SY-HL", "SY-ID", "SY-RA", "SY-HA"),
        "names": ("northern Syria", "north Syria", "the north", "north", "north of Syria", "شمال سوريا", "الشمال السوري"),
    },
    "eastern-syria": {
        "label": "Eastern Syria (Deir ez-Zor)",
        "members": ("SY-DY",),
        "names": ("eastern Syria", "east Syria", "the east", "شرق سوريا"),
    },
    "central-syria": {
        "label": "Central Syria (Homs, Hama)",
        "members": ("SY-HI", "SY-HM"),
        "names": ("central Syria", "centre of Syria", "center of Syria", "وسط سوريا"),
    },
    "coast": {
        "label": "Syrian coast (Latakia, Tartus)",
        "members": ("SY-LA", "SY-TA"),
        "names": ("the Syrian coast", "Syrian coast", "coastal Syria", "the coast", "الساحل السوري"),
    },
}


def part_box(bounds: tuple[float, float, float, float], part: str):
    """The half of the box ``bounds`` (minx, miny, maxx, maxy) on side ``part`` (north/south/east/west), or its
    quarter for a diagonal (northeast/northwest/southeast/southwest)."""
    from shapely.geometry import box

    minx, miny, maxx, maxy = bounds
    midx, midy = (minx + maxx) / 2, (miny + maxy) / 2
    return {"north": box(minx, midy, maxx, maxy), "south": box(minx, miny, maxx, midy),
            "east": box(midx, miny, maxx, maxy), "west": box(minx, miny, midx, maxy),
            "northeast": box(midx, midy, maxx, maxy), "northwest": box(minx, midy, midx, maxy),
            "southeast": box(midx, miny, maxx, midy), "southwest": box(minx, miny, midx, midy)}[part]
