"""The dashboard's Streamlit pieces (sidebar, views, tabs, cached reads, URL state).

Imported only by ``dashboard.py``; logic stays in the other ``geo`` packages, which work without Streamlit.
"""
