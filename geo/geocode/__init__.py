"""Offline geocoding: place names (Latin transliterations or Arabic script) -> points or regions.

One interface, :class:`Geocoder` (``get_geocoder()`` gives the shared instance), answering a
:class:`~geo.geocode.location.Location`. Modules: :mod:`.geocoder` (matching and ranking),
:mod:`._normalize` (comparison keys), :mod:`._phrases` (vague-place phrases), :mod:`._aliases` (user
corrections), :mod:`.regions` (polygons, reverse geocoding), :mod:`.gazetteer_build` (the derived index).
"""

from geo.geocode.geocoder import Geocoder, get_geocoder
from geo.geocode.location import Location

__all__ = ["Geocoder", "Location", "get_geocoder"]
