"""The incident map: an offline folium/Leaflet page and its snapshots.

Modules: :mod:`.page` (the folium map), :mod:`.payload` (compact incident encoding for the page),
:mod:`.assets` (local JS/CSS), :mod:`.basemap` (offline outlines and region shapes), :mod:`.context`
(offline context layers: place names, districts, rivers and lakes; :mod:`.context_build` makes the water
file), :mod:`.credits` (attribution lines), :mod:`.popup`, :mod:`.snapshot` (standalone HTML and
PNG/SVG/PDF), :mod:`.animate` (the time playback as an animated GIF), :mod:`.static_render`
(browser-free pictures), :mod:`.streamlit_args` (the arguments the dashboard's map component gets).
"""
