"""The filter line stamped on CLI snapshots names every filter given, districts and the box included."""

from geo.cli import build_parser
from geo.commands.snapshot import describe_filters


def test_snapshot_filter_line_names_districts_and_the_box():
    args = build_parser().parse_args(["snapshot", "--out", "x.png", "--region", "Daraa", "--district", "Izra",
                                      "--bbox", "35.9,32.5,36.4,33.0"])
    assert describe_filters(args) == "Filters: region: Daraa; district: Izra; box: 35.9,32.5,36.4,33.0"
