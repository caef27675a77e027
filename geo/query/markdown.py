"""Making user data inert in Streamlit markdown."""

from __future__ import annotations

_MD_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:="


def escape_markdown(text: object) -> str:
    """``text`` made inert for Streamlit markdown: every markup character backslash-escaped and
    line breaks flattened, so user data can never become a link, image, HTML or formatting."""
    value = "" if text is None else str(text)
    value = " ".join(value.split())
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in value)
