"""A "copy link" button: copies the page's current address (filters, picked carrier, search) to the clipboard.

The pages keep their state in the URL, so the address bar *is* the link. Inside a messaging
app's browser the address bar is often hidden; this button copies it. It runs in a small
same-origin component frame and reads the parent page's address; where the clipboard API is
refused it falls back to a selected text box the user can copy by hand. Labels are escaped
(HTML and JSON) before they reach the frame; no user text is ever written into it.
"""

from __future__ import annotations

import json

from carriermap.safety import html_text

_HTML = """<div style="font-family:'Source Sans Pro',sans-serif">
<button id="cm-copy" type="button" style="padding:6px 14px;border:1px solid #c8c8d0;border-radius:8px;
background:#fff;cursor:pointer;font-size:14px;min-height:36px">{label}</button>
<span id="cm-copied" style="margin-left:8px;font-size:13px;color:#2e7d32"></span>
<input id="cm-link" readonly style="display:none;width:50%;margin-left:8px;font-size:12px">
</div>
<script>
(function () {{
  var labels = {texts};
  var button = document.getElementById('cm-copy'), note = document.getElementById('cm-copied');
  var box = document.getElementById('cm-link');
  function link() {{ try {{ return window.parent.location.href; }} catch (e) {{ return window.location.href; }} }}
  function done() {{ note.textContent = labels.done; window.cmCopied = link(); }}
  function byHand(url) {{
    box.style.display = 'inline-block'; box.value = url; box.focus(); box.select();
    try {{ if (document.execCommand('copy')) {{ done(); return; }} }} catch (e) {{}}
    note.textContent = labels.manual;
  }}
  button.addEventListener('click', function () {{
    var url = link();
    if (navigator.clipboard && navigator.clipboard.writeText) {{
      navigator.clipboard.writeText(url).then(done, function () {{ byHand(url); }});
    }} else {{ byHand(url); }}
  }});
}})();
</script>"""


def copy_link_html(label: str, done: str, manual: str) -> str:
    """The button's HTML (labels escaped; the link itself is read in the browser)."""
    texts = json.dumps({"done": done, "manual": manual}, ensure_ascii=False).replace("</", "<\\/")
    return _HTML.format(label=html_text(label), texts=texts)


def copy_link_button(label: str, done: str, manual: str) -> None:
    """Draw the button (a 48 px high same-origin frame; ``st.iframe`` replaces the deprecated ``components.html``)."""
    import streamlit as st

    st.iframe(copy_link_html(label, done, manual), height=48)
