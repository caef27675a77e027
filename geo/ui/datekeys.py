"""Date fields apply on Enter and Tab, not only when focus leaves them.

Streamlit's date field commits a typed date when focus leaves the whole field; Enter keeps focus in it and
Tab from the last segment only reaches the field's own calendar button, so the slider, URL and map stayed
on the old date. A small key handler on the page moves focus out of the field on those keys (Enter, and Tab
from the last segment: on to the next control after the field).
"""

from __future__ import annotations

import streamlit as st


def date_keys() -> None:
    """Install the page's key handler (once per page; drawing it again on a rerun is harmless)."""
    st.html("""
<script>
(function () {
  var doc = window.parent && window.parent.document ? window.parent.document : document;
  try { if (doc.__iaDateKeys) return; } catch (e) { doc = document; if (doc.__iaDateKeys) return; }
  doc.__iaDateKeys = true;
  var FOCUSABLE = 'input:not([disabled]), button:not([disabled]), select, textarea, a[href], [tabindex]:not([tabindex="-1"])';
  function nextAfter(field) {
    var all = Array.prototype.slice.call(doc.querySelectorAll(FOCUSABLE));
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      if (field.contains(el) || el.offsetParent === null) continue;
      if (field.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) return el;
    }
    return null;
  }
  function leave(field, active) {  // the field commits when focus moves to another control (a bare blur is not enough)
    var next = nextAfter(field);
    if (next) next.focus(); else active.blur();
  }
  doc.addEventListener('keydown', function (ev) {
    var active = doc.activeElement;
    var field = active && active.closest && active.closest('[data-testid="stDateInputField"]');
    if (!field || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var segment = active.getAttribute('role') === 'spinbutton';  // one of year / month / day
    if (ev.key === 'Enter' && segment) {
      ev.preventDefault();
      leave(field, active);  // focus leaves the field: it commits the typed date
    } else if (ev.key === 'Tab' && !ev.shiftKey && segment) {
      var segments = field.querySelectorAll('[role="spinbutton"]');
      if (segments[segments.length - 1] !== active) return;  // Tab between segments stays as it is
      ev.preventDefault();
      leave(field, active);
    }
  }, true);
})();
</script>
""", unsafe_allow_javascript=True, width="content")  # a constant: no user data reaches this HTML
