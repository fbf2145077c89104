"""Colour maths with no Qt: WCAG contrast, mixing, HSL, and how different two colours look (CIEDE2000).

The window's colours (speaker names, question tints, the playback highlight) are chosen by rules that must
hold in light and dark themes alike; keeping the maths here lets tests check those rules without a widget.
Channels are floats from 0 to 1 in sRGB.
"""

from __future__ import annotations

import colorsys
import math
from typing import NamedTuple

# WCAG 2 level AA for normal text.
AA_TEXT = 4.5


class Rgb(NamedTuple):
    red: float
    green: float
    blue: float

    @classmethod
    def from_hex(cls, text: str) -> Rgb:
        """ "#rrggbb" → Rgb."""
        value = text.lstrip("#")
        return cls(*(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)))

    @property
    def hex(self) -> str:
        return "#" + "".join(f"{round(min(max(channel, 0.0), 1.0) * 255):02x}" for channel in self)


def from_hsl(hue: float, saturation: float, lightness: float) -> Rgb:
    return Rgb(*colorsys.hls_to_rgb(hue % 1.0, lightness, saturation))


def hsl(colour: Rgb) -> tuple[float, float, float]:
    """(hue, saturation, lightness), each 0..1."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*colour)
    return hue, saturation, lightness


def is_dark(base: Rgb) -> bool:
    """Whether a background is a dark theme's: then colours on it are lightened, not darkened."""
    return luminance(base) < 0.18


def luminance(colour: Rgb) -> float:
    """WCAG relative luminance (0 black … 1 white)."""
    red, green, blue = (_linear(channel) for channel in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: Rgb, second: Rgb) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: Rgb, other: Rgb, amount: float) -> Rgb:
    """`colour` moved `amount` (0..1) of the way towards `other` (what `other` painted at that opacity
    over `colour` looks like)."""
    return Rgb(*(mine + (theirs - mine) * amount for mine, theirs in zip(colour, other, strict=True)))


def readable(colour: Rgb, background: Rgb, minimum: float = AA_TEXT) -> Rgb:
    """`colour` made darker (on a light background) or lighter (on a dark one), keeping its hue, until text
    in it reaches `minimum` contrast on `background`."""
    step = 0.02 if is_dark(background) else -0.02
    hue, saturation, lightness = hsl(colour)
    adjusted = colour
    while contrast(adjusted, background) < minimum and 0.0 < lightness < 1.0:
        lightness = min(max(lightness + step, 0.0), 1.0)
        adjusted = from_hsl(hue, saturation, lightness)
    return adjusted


def strongest_tint(base: Rgb, colour: Rgb, text: Rgb, most: float, minimum: float) -> Rgb:
    """`colour` laid over `base` as strongly as `most` allows while `text` on it keeps `minimum` contrast."""
    amount = most
    while amount > 0.0 and contrast(text, mix(base, colour, amount)) < minimum:
        amount -= 0.01
    return mix(base, colour, max(amount, 0.0))


def delta_e(first: Rgb, second: Rgb) -> float:
    """CIEDE2000 colour difference: about 2 is just noticeable side by side, above 20 two colours read as
    different at a glance (the formula weighs hue, chroma and lightness as eyes do; WCAG contrast sees only
    lightness, so two tints of equal lightness would count as identical)."""
    return delta_e_lab(lab(first), lab(second))


def delta_e_lab(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """CIEDE2000 between two CIELAB colours (Sharma, Wu and Dalal's formulation)."""
    l1, a1, b1 = first
    l2, a2, b2 = second
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    mean_c = (c1 + c2) / 2
    g = 0.5 * (1 - math.sqrt(mean_c**7 / (mean_c**7 + 25**7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    delta_l, delta_c = l2 - l1, c2 - c1
    delta_h = 0.0
    if c1 * c2:
        delta_h = h2 - h1
        if delta_h > 180:
            delta_h -= 360
        elif delta_h < -180:
            delta_h += 360
    delta_big_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(delta_h) / 2)
    mean_l, mean_c = (l1 + l2) / 2, (c1 + c2) / 2
    mean_h = h1 + h2
    if c1 * c2:
        mean_h = (h1 + h2) / 2 if abs(h1 - h2) <= 180 else (h1 + h2 + (360 if h1 + h2 < 360 else -360)) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(mean_h - 30))
        + 0.24 * math.cos(math.radians(2 * mean_h))
        + 0.32 * math.cos(math.radians(3 * mean_h + 6))
        - 0.20 * math.cos(math.radians(4 * mean_h - 63))
    )
    s_l = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    s_c = 1 + 0.045 * mean_c
    s_h = 1 + 0.015 * mean_c * t
    r_t = (
        -2
        * math.sqrt(mean_c**7 / (mean_c**7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((mean_h - 275) / 25) ** 2))))
    )
    return math.sqrt(
        (delta_l / s_l) ** 2
        + (delta_c / s_c) ** 2
        + (delta_big_h / s_h) ** 2
        + r_t * (delta_c / s_c) * (delta_big_h / s_h)
    )


def lab(colour: Rgb) -> tuple[float, float, float]:
    """CIELAB under D65."""
    red, green, blue = (_linear(channel) for channel in colour)
    x = (0.4124 * red + 0.3576 * green + 0.1805 * blue) / 0.95047
    y = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    z = (0.0193 * red + 0.1192 * green + 0.9505 * blue) / 1.08883

    def f(value: float) -> float:
        return value ** (1 / 3) if value > 216 / 24389 else (24389 / 27 * value + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _linear(channel: float) -> float:
    """An sRGB channel as linear light."""
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
