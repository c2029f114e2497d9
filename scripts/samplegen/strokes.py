"""Digits 0-9 as pen strokes, the way people write them.

Every glyph lives in a unit box (x to the right, y downwards, the digit spans
roughly y 0.08..0.92).  A glyph is a list of strokes; a stroke is a path of
commands:

    ("M", (x, y))                       pen down at a point
    ("L", (x, y))                       straight line to a point
    ("C", (x1, y1), (x2, y2), (x, y))   cubic Bezier to a point

Strokes are jittered with a seeded RNG, put through a per-writer affine
transform (slant, width, rotation) and flattened to polylines in pixel space.
"""

import math

import numpy as np

GLYPHS = {
    (0, "plain"): [
        # Start near the top, go anticlockwise, overshoot the start a little.
        [("M", (0.56, 0.10)),
         ("C", (0.33, 0.08), (0.22, 0.33), (0.23, 0.52)),
         ("C", (0.24, 0.74), (0.36, 0.92), (0.52, 0.91)),
         ("C", (0.69, 0.90), (0.78, 0.68), (0.77, 0.48)),
         ("C", (0.76, 0.27), (0.68, 0.09), (0.52, 0.10)),
         ("C", (0.47, 0.11), (0.44, 0.13), (0.42, 0.16))],
    ],
    (1, "plain"): [
        [("M", (0.53, 0.09)), ("C", (0.52, 0.35), (0.50, 0.65), (0.49, 0.91))],
    ],
    (1, "flag"): [
        [("M", (0.36, 0.27)), ("C", (0.44, 0.21), (0.50, 0.15), (0.55, 0.08)),
         ("C", (0.54, 0.35), (0.52, 0.65), (0.51, 0.91))],
    ],
    (1, "flag-base"): [
        [("M", (0.37, 0.26)), ("C", (0.45, 0.20), (0.50, 0.14), (0.55, 0.08)),
         ("C", (0.54, 0.35), (0.52, 0.65), (0.51, 0.90))],
        [("M", (0.34, 0.91)), ("L", (0.68, 0.90))],
    ],
    (2, "plain"): [
        [("M", (0.26, 0.30)),
         ("C", (0.29, 0.07), (0.72, 0.03), (0.73, 0.29)),
         ("C", (0.74, 0.48), (0.44, 0.69), (0.23, 0.90)),
         ("C", (0.42, 0.89), (0.60, 0.88), (0.79, 0.89))],
    ],
    (3, "plain"): [
        [("M", (0.27, 0.20)),
         ("C", (0.40, 0.04), (0.76, 0.06), (0.72, 0.28)),
         ("C", (0.69, 0.42), (0.54, 0.47), (0.42, 0.48)),
         ("C", (0.62, 0.48), (0.79, 0.58), (0.76, 0.74)),
         ("C", (0.72, 0.95), (0.38, 0.96), (0.24, 0.80))],
    ],
    (4, "open"): [
        [("M", (0.33, 0.09)), ("C", (0.31, 0.25), (0.28, 0.42), (0.26, 0.58)),
         ("L", (0.80, 0.57))],
        [("M", (0.67, 0.12)), ("C", (0.67, 0.40), (0.66, 0.65), (0.65, 0.92))],
    ],
    (4, "closed"): [
        [("M", (0.62, 0.09)), ("L", (0.21, 0.63)), ("L", (0.81, 0.62))],
        [("M", (0.62, 0.09)), ("C", (0.62, 0.40), (0.62, 0.65), (0.62, 0.92))],
    ],
    (5, "plain"): [
        [("M", (0.33, 0.11)), ("C", (0.31, 0.22), (0.30, 0.34), (0.28, 0.46)),
         ("C", (0.46, 0.36), (0.78, 0.42), (0.76, 0.66)),
         ("C", (0.74, 0.92), (0.42, 0.96), (0.24, 0.82))],
        [("M", (0.33, 0.11)), ("L", (0.73, 0.10))],
    ],
    (6, "plain"): [
        [("M", (0.67, 0.09)),
         ("C", (0.42, 0.18), (0.25, 0.45), (0.26, 0.68)),
         ("C", (0.27, 0.95), (0.73, 0.95), (0.73, 0.70)),
         ("C", (0.73, 0.46), (0.33, 0.44), (0.27, 0.66))],
    ],
    (7, "plain"): [
        [("M", (0.22, 0.11)), ("L", (0.78, 0.11)),
         ("C", (0.64, 0.35), (0.52, 0.60), (0.44, 0.91))],
    ],
    (7, "bar"): [
        [("M", (0.22, 0.11)), ("L", (0.78, 0.11)),
         ("C", (0.64, 0.35), (0.52, 0.60), (0.44, 0.91))],
        [("M", (0.38, 0.51)), ("L", (0.74, 0.50))],
    ],
    (8, "plain"): [
        # One stroke: top-right, round the top loop, cross, bottom loop, back up.
        [("M", (0.69, 0.22)),
         ("C", (0.63, 0.05), (0.30, 0.05), (0.31, 0.25)),
         ("C", (0.32, 0.42), (0.73, 0.50), (0.73, 0.71)),
         ("C", (0.73, 0.95), (0.27, 0.95), (0.27, 0.71)),
         ("C", (0.27, 0.50), (0.67, 0.42), (0.69, 0.22))],
    ],
    (9, "straight"): [
        [("M", (0.71, 0.28)),
         ("C", (0.66, 0.06), (0.28, 0.06), (0.29, 0.30)),
         ("C", (0.30, 0.52), (0.66, 0.52), (0.71, 0.30)),
         ("C", (0.70, 0.52), (0.68, 0.72), (0.67, 0.91))],
    ],
    (9, "curved"): [
        [("M", (0.71, 0.28)),
         ("C", (0.66, 0.06), (0.28, 0.06), (0.29, 0.30)),
         ("C", (0.30, 0.52), (0.66, 0.52), (0.71, 0.30)),
         ("C", (0.72, 0.62), (0.64, 0.88), (0.38, 0.91))],
    ],
}


def variants(digit):
    """Return the variant names defined for `digit`, in a stable order."""
    return [v for (d, v) in GLYPHS if d == digit]


def jitter_glyph(digit, variant, rng, amount=0.015):
    """Copy a glyph with every control point moved by N(0, amount) (unit box).

    Each stroke also gets a small common offset so separately drawn strokes
    (the bar of a 7, the top of a 5) do not meet exactly, as with real pens.
    """
    strokes = []
    for stroke in GLYPHS[(digit, variant)]:
        shift = rng.normal(0.0, amount * 0.6, 2)
        out = []
        for cmd in stroke:
            pts = [np.asarray(p, float) + shift + rng.normal(0.0, amount, 2) for p in cmd[1:]]
            out.append((cmd[0], *pts))
        strokes.append(out)
    return strokes


def writer_transform(center, height, slant=0.0, aspect=1.0, rotate_deg=0.0):
    """Return a function mapping unit-box points to pixel coordinates.

    slant   shear: positive leans the top of the digit to the right
    aspect  horizontal scale (a narrow or wide hand)
    rotate  rotation in degrees, positive turns clockwise on screen
    """
    a = math.radians(rotate_deg)
    ca, sa = math.cos(a), math.sin(a)
    cx, cy = center

    def apply(p):
        """Map one unit-box point to pixels."""
        x, y = p[0] - 0.5, p[1] - 0.5
        x = (x - slant * y) * aspect
        xr, yr = ca * x - sa * y, sa * x + ca * y
        return np.array([cx + xr * height, cy + yr * height])

    return apply


def _bezier(p0, p1, p2, p3, n):
    """Sample a cubic Bezier at n+1 evenly spaced parameter values."""
    t = np.linspace(0.0, 1.0, n + 1)[:, None]
    u = 1.0 - t
    return u ** 3 * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t ** 3 * p3


def flatten(strokes, transform, step=1.5, wobble=0.0, rng=None):
    """Turn jittered strokes into pixel-space polylines.

    Returns a list of (n, 2) float arrays.  `step` is the target segment
    length in pixels.  `wobble` adds a slow sideways tremor (pixels).
    """
    lines = []
    for stroke in strokes:
        pts = []
        cur = None
        for cmd in stroke:
            ctrl = [transform(p) for p in cmd[1:]]
            if cmd[0] == "M":
                cur = ctrl[0]
                pts.append(cur[None, :])
            elif cmd[0] == "L":
                n = max(1, int(math.ceil(np.linalg.norm(ctrl[0] - cur) / step)))
                t = np.linspace(0.0, 1.0, n + 1)[1:, None]
                pts.append(cur + t * (ctrl[0] - cur))
                cur = ctrl[0]
            else:
                poly = [cur] + ctrl
                length = sum(np.linalg.norm(poly[i + 1] - poly[i]) for i in range(3))
                n = max(2, int(math.ceil(length / step)))
                pts.append(_bezier(cur, *ctrl, n)[1:])
                cur = ctrl[-1]
        line = np.concatenate(pts)
        if wobble > 0 and rng is not None and len(line) > 3:
            line = _add_wobble(line, wobble, rng)
        lines.append(line)
    return lines


def _add_wobble(line, amplitude, rng):
    """Displace a polyline sideways by a smooth random signal (hand tremor)."""
    seg = np.linalg.norm(np.diff(line, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    knots = np.linspace(0.0, s[-1] + 1e-9, max(3, int(s[-1] / 40.0) + 3))
    offs = np.interp(s, knots, rng.normal(0.0, amplitude, len(knots)))
    tangent = np.gradient(line, axis=0)
    norm = np.linalg.norm(tangent, axis=1, keepdims=True) + 1e-9
    normal = np.stack([-tangent[:, 1], tangent[:, 0]], axis=1) / norm
    return line + normal * offs[:, None]
