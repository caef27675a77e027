"""Incident Atlas dashboard (placeholder until the dashboard lands): lists the sample store."""

import streamlit as st

st.set_page_config(page_title="Incident Atlas", layout="wide")
st.title("Incident Atlas")
