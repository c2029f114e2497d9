"""Anti-aliased stroke rasterisation and small image utilities (numpy only)."""

import math

import numpy as np

from . import strokes as st


def radius_profile(line, radius, taper=0.2, pressure=0.1, rng=None):
    """Pen radius at each polyline point.

    taper     how much thinner the pen is at the start/end of a stroke (0..1)
    pressure  relative amplitude of slow random pressure changes along the stroke
    """
    seg = np.linalg.norm(np.diff(line, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    total = max(s[-1], 1e-6)
    ramp = np.minimum(1.0, np.minimum(s, total - s) / (0.12 * total + 1e-6))
    prof = (1.0 - taper) + taper * np.sqrt(ramp)
    if pressure > 0 and rng is not None:
        knots = np.linspace(0.0, total, 6)
        prof = prof * (1.0 + np.interp(s, knots, rng.normal(0.0, pressure, 6)))
    return np.maximum(radius * prof, 0.25)


def rasterise(lines, radii, height, width, ss=3):
    """Coverage (0..1, float32, height x width) of round-capped strokes.

    Each polyline segment contributes clip(r - d + 0.5, 0, 1) at every
    supersample, where d is the exact distance to the segment and r the pen
    radius interpolated along it; the maximum over segments is then box-
    filtered down by the supersampling factor `ss`.
    """
    H, W = height * ss, width * ss
    cov = np.zeros((H, W), np.float32)
    for line, rad in zip(lines, radii):
        pts = line * ss + (ss - 1) / 2.0  # pixel centres -> supersample grid
        rr = rad * ss
        if len(pts) == 1:
            pts = np.vstack([pts, pts + 1e-3])
            rr = np.repeat(rr, 2)
        for i in range(len(pts) - 1):
            a, b = pts[i], pts[i + 1]
            ra, rb = rr[i], rr[i + 1]
            pad = max(ra, rb) + 1.0
            x0 = max(int(math.floor(min(a[0], b[0]) - pad)), 0)
            x1 = min(int(math.ceil(max(a[0], b[0]) + pad)) + 1, W)
            y0 = max(int(math.floor(min(a[1], b[1]) - pad)), 0)
            y1 = min(int(math.ceil(max(a[1], b[1]) + pad)) + 1, H)
            if x0 >= x1 or y0 >= y1:
                continue
            ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
            d = b - a
            dd = float(d @ d) or 1e-9
            t = np.clip(((xs - a[0]) * d[0] + (ys - a[1]) * d[1]) / dd, 0.0, 1.0)
            dist = np.hypot(xs - a[0] - t * d[0], ys - a[1] - t * d[1])
            c = np.clip(ra + (rb - ra) * t - dist + 0.5, 0.0, 1.0)
            np.maximum(cov[y0:y1, x0:x1], c, out=cov[y0:y1, x0:x1])
    return cov.reshape(height, ss, width, ss).mean(axis=(1, 3))


def draw_digit(digit, variant, rng, size, center, height, pen, jitter=0.015,
               slant=None, aspect=None, rotate=None, taper=0.2, pressure=0.1,
               wobble=0.0, ss=3):
    """Draw one jittered digit; return its coverage map for an image `size` (h, w).

    `pen` is the pen radius in pixels.  slant/aspect/rotate default to a
    random but natural writer (slight right lean, small rotation).
    """
    if slant is None:
        slant = rng.uniform(-0.05, 0.25)
    if aspect is None:
        aspect = rng.uniform(0.85, 1.08)
    if rotate is None:
        rotate = rng.normal(0.0, 2.5)
    glyph = st.jitter_glyph(digit, variant, rng, jitter)
    tf = st.writer_transform(center, height, slant, aspect, rotate)
    lines = st.flatten(glyph, tf, step=max(1.0, pen * 0.6), wobble=wobble, rng=rng)
    radii = [radius_profile(ln, pen, taper, pressure, rng) for ln in lines]
    return rasterise(lines, radii, size[0], size[1], ss)


def gaussian_blur(img, sigma):
    """Separable Gaussian blur of a 2-D or 3-D (h, w, c) float array."""
    if sigma <= 0:
        return img
    r = max(1, int(math.ceil(3 * sigma)))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    out = img.astype(np.float32)
    for axis in (0, 1):
        pad = [(0, 0)] * out.ndim
        pad[axis] = (r, r)
        padded = np.pad(out, pad, mode="edge")
        acc = np.zeros_like(out)
        n = out.shape[axis]
        for i, w in enumerate(k):
            acc += w * np.take(padded, np.arange(i, i + n), axis=axis)
        out = acc
    return out


def smooth_noise(rng, height, width, cell):
    """Value noise: N(0,1) on a grid of `cell`-pixel spacing, smoothly interpolated."""
    gh, gw = height // cell + 2, width // cell + 2
    grid = rng.normal(0.0, 1.0, (gh, gw)).astype(np.float32)
    y = np.arange(height, dtype=np.float32) / cell
    x = np.arange(width, dtype=np.float32) / cell
    y0, x0 = y.astype(int), x.astype(int)
    fy, fx = (y - y0)[:, None], (x - x0)[None, :]
    fy, fx = fy * fy * (3 - 2 * fy), fx * fx * (3 - 2 * fx)  # smoothstep: no grid creases
    g00 = grid[y0][:, x0]
    g01 = grid[y0][:, x0 + 1]
    g10 = grid[y0 + 1][:, x0]
    g11 = grid[y0 + 1][:, x0 + 1]
    return (g00 * (1 - fy) * (1 - fx) + g01 * (1 - fy) * fx
            + g10 * fy * (1 - fx) + g11 * fy * fx)


def fractal_noise(rng, height, width, cells=(64, 16, 4), weights=(1.0, 0.5, 0.25)):
    """Sum of value-noise octaves, normalised to unit standard deviation."""
    acc = sum(w * smooth_noise(rng, height, width, c) for c, w in zip(cells, weights))
    return acc / (acc.std() + 1e-6)


def paint(img, coverage, colour, opacity=1.0):
    """Lay ink of `colour` over float image `img` (h, w, c) where coverage > 0."""
    a = (np.clip(coverage, 0.0, 1.0) * opacity)[..., None]
    return img * (1.0 - a) + np.asarray(colour, np.float32) * a


def solid(height, width, colour):
    """A float32 (h, w, c) image filled with `colour`."""
    colour = np.asarray(colour, np.float32)
    return np.broadcast_to(colour, (height, width, len(colour))).copy()


def to_u8(img):
    """Round a float image in 0..255 to uint8."""
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def to_gray(img):
    """Rec. 601 luma of a float (h, w, 3) image, or pass a (h, w, 1) one through."""
    if img.shape[2] == 1:
        return img[..., 0]
    return img @ np.array([0.299, 0.587, 0.114], np.float32)
