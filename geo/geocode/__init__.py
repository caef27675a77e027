"""Offline geocoding: place names (Latin transliterations or Arabic script) -> points or regions.

One interface, :class:`Geocoder` (``get_geocoder()`` gives the shared instance), answering a
:class:`~geo.geocode.location.Location`. Modules: :mod:`.geocoder` (matching and ranking),
:mod:`._normalize` (comparison keys), :mod:`._phrases` (vague-place phrases), :mod:`._aliases` (user
corrections), :mod:`.regions` (polygons, reverse geocoding to governorate and district), :mod:`.places` (every
gazetteer place as a typed :class:`Place`), :mod:`.gazetteer_build` (the derived index, with Who's On First
localities and districts from :mod:`._wof` / :mod:`._build_wof`).
"""

from geo.geocode._index import Place
from geo.geocode.geocoder import Geocoder, get_geocoder
from geo.geocode.location import Location
from geo.geocode.places import iter_places

__all__ = ["Geocoder", "Location", "Place", "get_geocoder", "iter_places"]
