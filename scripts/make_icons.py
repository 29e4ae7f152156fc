"""Draws the app icons (favicon, home-screen icons) as PNG, matching web/static/icon.svg.

Run once after changing the design: python scripts/make_icons.py"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parent.parent / "src" / "ontspan" / "web" / "static"
GREEN, CREAM = (47, 107, 79), (246, 244, 239)


def icon(size: int, maskable: bool = False) -> Image.Image:
    scale = 8  # draw large, then shrink: smooth edges without anti-aliasing support
    big = size * scale
    image = Image.new("RGB" if maskable else "RGBA", (big, big), GREEN if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    u = big / 64
    if not maskable:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=14 * u, fill=GREEN)
    inset = 0.2 if maskable else 0.0  # maskable icons keep their content in the safe circle

    def p(x: float) -> float:
        return (inset * 32 + x * (1 - inset)) * u

    draw.ellipse((p(23), p(13), p(41), p(31)), fill=CREAM)
    draw.arc((p(12), p(35), p(52), p(69)), start=180, end=360, fill=CREAM, width=round(6 * u))
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    icon(32).save(STATIC / "favicon.png")
    icon(180).save(STATIC / "apple-touch-icon.png")
    icon(192).save(STATIC / "icon-192.png")
    icon(512).save(STATIC / "icon-512.png")
    icon(512, maskable=True).save(STATIC / "icon-maskable.png")
