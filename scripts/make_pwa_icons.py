"""Draw the installable app's icons into static/icons/ (docs/architecture.md, "The installable app").

The mark is the favicon's (static/favicon.svg): two overlapping circles, two people. Drawn with
Pillow at four times the size and scaled down, so the edges are smooth. Run it again after changing
the colours or the mark, and commit the PNGs it writes:

    .venv/bin/python scripts/make_pwa_icons.py

- ``icon-192.png``, ``icon-512.png`` (purpose "any"): a rounded terracotta square, transparent
  corners, the mark filling most of it.
- ``maskable-192.png``, ``maskable-512.png`` (purpose "maskable"): the colour to the edges and the
  mark inside the central safe zone (a circle of 40 % of the size in radius), so any mask shape a
  phone applies (circle, squircle, teardrop) keeps it whole.
- ``apple-touch-icon.png`` (180 px, opaque): iOS draws its own rounded corners.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = (0xB4, 0x53, 0x2A, 255)  # --accent in static/css/app.css
PAPER = (0xFF, 0xFD, 0xFA, 255)  # --paper
PEACH = (0xE7, 0xA9, 0x77, 255)  # the favicon's second circle
SCALE = 4
OUT = Path(__file__).resolve().parents[1] / "static" / "icons"


def _mark(image: Image.Image, *, extent: float) -> None:
    """The two circles, centred, ``extent`` of ``size`` wide in all (the favicon's 2:3 overlap)."""
    # In the favicon (32 units) the circles are r=8 at x=11 and x=21: 26 units wide, 16 high.
    size = image.width
    unit = size * extent / 26
    radius = 8 * unit
    centre_y = size / 2
    left_x = size / 2 - 5 * unit
    right_x = size / 2 + 5 * unit
    ImageDraw.Draw(image).ellipse(
        (left_x - radius, centre_y - radius, left_x + radius, centre_y + radius), fill=PAPER
    )
    # The second circle, a little see-through over the first, as in the favicon.
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    ImageDraw.Draw(overlay).ellipse(
        (right_x - radius, centre_y - radius, right_x + radius, centre_y + radius),
        fill=PEACH[:3] + (225,),
    )
    image.alpha_composite(overlay)


def draw_icon(size: int, *, kind: str) -> Image.Image:
    """One icon, ``kind`` "any", "maskable" or "apple", ``size`` pixels square."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if kind == "any":
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.22, fill=ACCENT)
        _mark(image, extent=0.70)
    elif kind == "maskable":
        draw.rectangle((0, 0, big, big), fill=ACCENT)
        # The safe zone is a circle of radius 0.4 * size: the mark (26 x 16 units) fits in it
        # at 0.56 of the size (half-diagonal 0.33).
        _mark(image, extent=0.56)
    elif kind == "apple":
        draw.rectangle((0, 0, big, big), fill=ACCENT)
        _mark(image, extent=0.66)
    else:
        raise ValueError(f"unknown icon kind {kind!r}")
    return image.resize((size, size), Image.Resampling.LANCZOS)


ICONS = {
    "icon-192.png": (192, "any"),
    "icon-512.png": (512, "any"),
    "maskable-192.png": (192, "maskable"),
    "maskable-512.png": (512, "maskable"),
    "apple-touch-icon.png": (180, "apple"),
}


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (size, kind) in ICONS.items():
        image = draw_icon(size, kind=kind)
        if kind == "apple":
            image = image.convert("RGB")
        image.save(out / name, optimize=True)
        print(out / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
