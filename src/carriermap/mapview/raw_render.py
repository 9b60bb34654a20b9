"""Render folium elements without compiling their output as a template.

branca's ``MacroElement.render`` wraps each rendered header/html/script part in a new
``Element(text)``, which compiles ``text`` as a Jinja template: on every Streamlit rerun the
whole carrier payload and the district GeoJSON were lexed and compiled again (most of a filter
change's server time, growing with the data), and a ``{{`` in the data would be read as Jinja.
:class:`RawRender` keeps those parts as plain text; use it as the *last* base of an element class
(``class X(folium.GeoJson, RawRender)``) so the element's own ``render`` still runs first.

Folium's own elements (the map, feature groups, the layer control, the ``ElementAddToElement``
each layer adds while rendering) go through ``MacroElement.render`` too: ~20 compiles, a
third of a filter change's server time. :func:`install` (run when :mod:`carriermap.mapview` is
imported) makes ``MacroElement.render`` the raw one for every element. The output is the same
text; what no longer happens is a second Jinja pass over rendered text, which only folium's
pattern-fill style mapper relied on (not used here; streamlit-folium resolves those references
itself) and which would otherwise evaluate ``{{ … }}`` typed into a carrier's name.
"""

from __future__ import annotations

import folium
from branca.element import Element, Figure, MacroElement


class RawText(Element):
    """An element whose rendering is its text, as is."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawText"
        self.text = text

    def render(self, **kwargs) -> str:  # noqa: ARG002 - branca's signature
        """The text itself (no template)."""
        return self.text


class RawRender(MacroElement):
    """``MacroElement.render`` with the parts added as :class:`RawText` (same output, no compile)."""

    def render(self, **kwargs) -> None:
        """Add this element's header, html and script parts to the figure, then render the children."""
        figure = self.get_root()
        assert isinstance(figure, Figure), "You cannot render this Element if it is not in a Figure."
        module = self._template.module.__dict__
        for part, holder in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = module.get(part)
            if macro is not None:
                holder.add_child(RawText(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


def install() -> None:
    """Render every folium/branca ``MacroElement`` without compiling its parts (idempotent)."""
    MacroElement.render = RawRender.render


class GeoJson(folium.GeoJson, RawRender):
    """``folium.GeoJson`` rendered without compiling its (large) data as a template."""
