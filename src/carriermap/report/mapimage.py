"""A static map image (PNG) of districts and carriers, drawn with Pillow: no browser, no tiles.

Coordinates are WGS-84; the drawing uses an equirectangular projection scaled by the cosine
of the city's latitude, which keeps shapes true at city scale.
"""

from __future__ import annotations

import io
import math

import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from carriermap import codes
from carriermap.boundaries import districts
from carriermap.i18n import label
from carriermap.report.fonts import cjk_font

WIDTH, HEIGHT, MARGIN, LEGEND_HEIGHT = 1600, 1100, 40, 70


def _polygons(geometry):
    return list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]


def render_map(city_adcode: str, carriers: pd.DataFrame, *, highlight: str | None = None, lang: str = "zh") -> bytes:
    """PNG bytes: the city's districts (``highlight`` filled darker) and active carriers by type."""
    gdf = districts(city_adcode)
    shown = gdf if highlight is None else gdf[gdf["adcode"] == str(highlight)]
    if shown.empty:
        shown = gdf
    minx, miny, maxx, maxy = shown.total_bounds
    kx = math.cos(math.radians((miny + maxy) / 2))
    span_x, span_y = max((maxx - minx) * kx, 1e-6), max(maxy - miny, 1e-6)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN - LEGEND_HEIGHT) / span_y)
    offset_x = (WIDTH - span_x * scale) / 2
    offset_y = MARGIN + (HEIGHT - 2 * MARGIN - LEGEND_HEIGHT - span_y * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return offset_x + (lon - minx) * kx * scale, offset_y + (maxy - lat) * scale

    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(cjk_font()), 22, index=0)
    small = ImageFont.truetype(str(cjk_font()), 18, index=0)
    for row in gdf.itertuples():
        fill = "#dbe7f3" if highlight is None or row.adcode == str(highlight) else "#f2f2f2"
        for polygon in _polygons(row.geometry):
            draw.polygon([project(x, y) for x, y in polygon.exterior.coords], fill=fill, outline="#7f8c9a", width=2)
    from carriermap.location import placed_mask

    # Delisted carriers are not drawn; unplaced ones have no point to draw (they count in the tables).
    active = carriers[(carriers["status"] != "delisted") & placed_mask(carriers)] if not carriers.empty else carriers
    for record in active.to_dict("records"):
        x, y = project(float(record["lon"]), float(record["lat"]))
        colour = codes.TYPE_COLOURS.get(record["type"], "#333333")
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=colour, outline="white", width=1)
    column = "name_en" if lang == "en" else "name"
    for row in gdf.itertuples():
        point = row.geometry.representative_point()
        x, y = project(point.x, point.y)
        if 0 <= x <= WIDTH and 0 <= y <= HEIGHT - LEGEND_HEIGHT:
            draw.text((x, y), str(getattr(row, column)), fill="#1f2d3d", font=font, anchor="mm",
                      stroke_width=3, stroke_fill="white")
    _legend(draw, small, lang)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _legend(draw: ImageDraw.ImageDraw, font, lang: str) -> None:
    x, y = MARGIN, HEIGHT - LEGEND_HEIGHT + 20
    for code in codes.CARRIER_TYPES:
        text = label("type", code, lang)
        draw.ellipse((x, y, x + 16, y + 16), fill=codes.TYPE_COLOURS[code])
        draw.text((x + 22, y + 8), text, fill="#1f2d3d", font=font, anchor="lm")
        x += 40 + int(draw.textlength(text, font=font))
