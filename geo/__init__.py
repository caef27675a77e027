"""Incident Atlas: turn conflict reports and incident tables into a geocoded, filterable map.

Everything here works without Streamlit; the command line is ``python -m geo``.
"""

__version__ = "0.1.0"
