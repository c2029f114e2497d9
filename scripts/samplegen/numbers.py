"""Pictures of whole numbers: several handwritten digits in a row, or in lines.

A number is written as text with "_" between lines ("2026", "31_12"); each
digit is drawn from the same strokes as the single-digit samples
(strokes.py), jittered per digit, with the writer's slant and size varying a
little from digit to digit and the baseline wandering, as a hand does.
"""

import numpy as np

from . import raster as rs
from . import strokes as st


def _digit_coverage(digit, rng, size, centre, height, pen, slant, detach_bar=False, **kw):
    """Coverage (h, w) of one jittered digit; the first variant of each digit is used.

    With `detach_bar`, a 5's top bar is lifted clear of its stem (a broken digit).
    """
    variant = st.variants(digit)[0]
    glyph = st.jitter_glyph(digit, variant, rng, rng.uniform(0.010, 0.018))
    if detach_bar and digit == 5:
        glyph[1] = [(cmd[0], *[p + np.array([0.04, -0.07]) for p in cmd[1:]]) for cmd in glyph[1]]
    tf = st.writer_transform(centre, height, slant, rng.uniform(0.85, 1.0), rng.normal(0.0, 2.0))
    lines = st.flatten(glyph, tf, step=max(1.0, pen * 0.6), wobble=kw.get("wobble", 0.0), rng=rng)
    radii = [rs.radius_profile(ln, pen, kw.get("taper", 0.2), kw.get("pressure", 0.1), rng) for ln in lines]
    return rs.rasterise(lines, radii, size[0], size[1], 2)


def number_coverage(text, rng, height, pen, advance, margin, detach_bar=False, **kw):
    """Coverage map of the number `text` ("_" starts a new line) and its size (h, w).

    `height` is a digit's height in pixels, `advance` the distance between
    digit centres as a fraction of it, `margin` the empty border in pixels.
    """
    lines = text.split("_")
    step = advance * height
    width = int(2 * margin + step * max(len(line) for line in lines))
    line_gap = 1.4 * height
    size = (int(2 * margin + line_gap * (len(lines) - 1) + height), width)
    slant = rng.uniform(0.0, 0.2)
    cov = np.zeros(size, np.float32)
    for row, line in enumerate(lines):
        baseline = margin + height / 2 + row * line_gap
        for i, ch in enumerate(line):
            scale = rng.uniform(0.92, 1.06)
            centre = (margin + step * (i + 0.5) + rng.normal(0, 0.03) * height,
                      baseline + rng.normal(0, 0.03) * height)
            np.maximum(cov, _digit_coverage(int(ch), rng, size, centre, height * scale, pen,
                                            slant + rng.normal(0, 0.03), detach_bar, **kw), out=cov)
    return cov, size


def pen(text, rng):
    """Dark ballpoint on white paper, 8-bit gray; the digits well apart."""
    cov, size = number_coverage(text, rng, 90, 1.6, 0.78, 40, wobble=0.5)
    img = rs.paint(rs.solid(*size, (250,)) + 2.0 * rs.smooth_noise(rng, *size, 48)[..., None], cov, (25,), 0.95)
    return {"pixels": rs.to_u8(rs.to_gray(img)), "colour": "gray", "depth": 8, "kind": "8-bit gray"}


def sticky_note(text, rng):
    """Felt-tip on a yellow sticky note, RGB; the 5's bar (if any) drawn apart from its stem."""
    cov, size = number_coverage(text, rng, 100, 3.0, 0.72, 45, detach_bar=True, taper=0.08, pressure=0.05)
    h, _ = size
    note = rs.solid(*size, (253, 236, 112)) + 2.0 * rs.smooth_noise(rng, *size, 48)[..., None]
    note *= 1.0 - np.linspace(0.0, 1.0, h)[:, None, None] ** 3 * 0.12
    return {"pixels": rs.to_u8(rs.paint(note, cov, (30, 30, 40))), "colour": "rgb", "depth": 8,
            "kind": "8-bit RGB"}


def chalk(text, rng):
    """White chalk on a greenish-gray board, RGB: light ink on dark."""
    cov, size = number_coverage(text, rng, 100, 3.2, 0.75, 45, taper=0.15, pressure=0.15)
    h, w = size
    board = rs.solid(h, w, (62, 78, 69)) + 5.0 * rs.fractal_noise(rng, h, w, (64, 16, 4))[..., None]
    grain = rs.smooth_noise(rng, h, w, 2) + 0.6 * rs.smooth_noise(rng, h, w, 6)
    img = rs.paint(board, cov * np.clip(0.85 + 0.35 * grain, 0.0, 1.0), (236, 238, 230), 0.95)
    return {"pixels": rs.to_u8(img), "colour": "rgb", "depth": 8, "kind": "8-bit RGB"}


def marker(text, rng):
    """Thick black marker on white, 8-bit gray, written tightly: neighbours may touch."""
    cov, size = number_coverage(text, rng, 90, 5.0, 0.7, 40, taper=0.05, pressure=0.03)
    img = rs.paint(rs.solid(*size, (252,)), cov, (12,))
    return {"pixels": rs.to_u8(rs.to_gray(img)), "colour": "gray", "depth": 8, "kind": "8-bit gray"}


def blue_ink(text, rng):
    """Blue ballpoint on white paper, RGB."""
    cov, size = number_coverage(text, rng, 80, 1.5, 0.8, 40, wobble=0.5)
    img = rs.paint(rs.solid(*size, (252, 252, 250)), cov, (20, 45, 160), 0.9)
    return {"pixels": rs.to_u8(img), "colour": "rgb", "depth": 8, "kind": "8-bit RGB"}


STYLES = {
    "pen": pen,
    "sticky-note": sticky_note,
    "chalk": chalk,
    "marker": marker,
    "blue-ink": blue_ink,
}
