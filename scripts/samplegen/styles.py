"""Picture styles people really produce when they photograph or draw a digit.

Every style is a function (digit, variant, rng) -> dict with the PNG encoder
arguments (pixels, colour, depth, and optionally palette, trns, interlace,
dpi) plus "kind", a short description of the PNG type.  All randomness comes
from `rng`, so a seed fixes the bytes.
"""

import numpy as np

from . import raster as rs


def _digit(rng, digit, variant, size, frac, pen, centre=None, **kw):
    """Coverage of one digit whose height is `frac` of the shorter image side.

    The digit is placed near the middle (or at `centre`) with a little random
    offset; other keywords go to raster.draw_digit.
    """
    h, w = size
    height = frac * min(h, w)
    if centre is None:
        centre = (w / 2 + rng.normal(0, 0.03) * w, h / 2 + rng.normal(0, 0.03) * h)
    kw.setdefault("jitter", rng.uniform(0.010, 0.022))
    ss = 3 if h * w <= 400 * 400 else 2
    return rs.draw_digit(digit, variant, rng, size, centre, height, pen, ss=ss, **kw)


def _square(rng, lo, hi):
    """A random square-ish size (h, w) between lo and hi pixels."""
    s = int(rng.integers(lo, hi + 1))
    return (s, s + int(rng.integers(-s // 10, s // 10 + 1)))


def _paper(rng, size, colour, texture=2.0):
    """Paper: a flat colour with faint large-scale unevenness."""
    img = rs.solid(*size, colour)
    if texture:
        img += texture * rs.smooth_noise(rng, *size, 48)[..., None]
    return img


def _gray(img):
    """Encoder arguments for an 8-bit grayscale picture."""
    return {"pixels": rs.to_u8(rs.to_gray(img)), "colour": "gray", "depth": 8,
            "kind": "8-bit gray"}


def _rgb(img):
    """Encoder arguments for an 8-bit RGB picture."""
    return {"pixels": rs.to_u8(img), "colour": "rgb", "depth": 8, "kind": "8-bit RGB"}


def pen(digit, variant, rng):
    """Dark ballpoint on white paper, a few hundred pixels, 8-bit gray."""
    size = _square(rng, 260, 400)
    cov = _digit(rng, digit, variant, size, rng.uniform(0.6, 0.75), size[0] * rng.uniform(0.007, 0.011),
                 wobble=0.6)
    img = rs.paint(_paper(rng, size, (250,)), cov, (25,), rng.uniform(0.9, 1.0))
    return _gray(img)


def marker(digit, variant, rng):
    """Thick black marker on white paper, 8-bit gray."""
    size = _square(rng, 240, 360)
    cov = _digit(rng, digit, variant, size, rng.uniform(0.62, 0.72), size[0] * rng.uniform(0.035, 0.05),
                 taper=0.05, pressure=0.03)
    img = rs.paint(_paper(rng, size, (252,), 1.0), cov, (12,))
    return _gray(img)


def chalk(digit, variant, rng):
    """White chalk on a textured greenish-gray board, RGB."""
    size = _square(rng, 260, 340)
    h, w = size
    board = rs.solid(h, w, (rng.uniform(55, 70), rng.uniform(72, 84), rng.uniform(64, 74)))
    board += 5.0 * rs.fractal_noise(rng, h, w, (64, 16, 4))[..., None]
    smear = np.clip(rs.smooth_noise(rng, h, w, 40) - 0.5, 0, None)  # wiped-off chalk
    smear *= 0.5 + 0.5 * np.clip(rs.smooth_noise(rng, h, w, 5), -1, 1)  # eraser streaks
    board = rs.paint(board, rs.gaussian_blur(smear, 2.0) * 0.25, (200, 205, 200))
    cov = _digit(rng, digit, variant, size, rng.uniform(0.6, 0.72), size[0] * rng.uniform(0.022, 0.03),
                 taper=0.15, pressure=0.15)
    grain = rs.smooth_noise(rng, h, w, 2) + 0.6 * rs.smooth_noise(rng, h, w, 6)
    alpha = cov * np.clip(0.85 + 0.35 * grain, 0.0, 1.0)
    img = rs.paint(board, alpha, (236, 238, 230), 0.95)
    img += 1.0 * rng.normal(0, 1, (h, w, 1)).astype(np.float32)
    return _rgb(img)


def rgba_canvas(digit, variant, rng):
    """A drawing app's transparent canvas: black strokes, background (0,0,0,0)."""
    size = _square(rng, 300, 420)
    cov = _digit(rng, digit, variant, size, rng.uniform(0.6, 0.75), size[0] * rng.uniform(0.018, 0.026),
                 taper=0.1, pressure=0.05, jitter=rng.uniform(0.008, 0.015))
    px = np.zeros(size + (4,), np.uint8)
    px[..., 3] = rs.to_u8(cov * 255.0)
    return {"pixels": px, "colour": "rgba", "depth": 8, "kind": "8-bit RGBA, transparent"}


def _ink(rng, digit, variant, colour):
    """Coloured ballpoint on white paper, RGB."""
    size = _square(rng, 260, 380)
    cov = _digit(rng, digit, variant, size, rng.uniform(0.6, 0.74), size[0] * rng.uniform(0.008, 0.012),
                 wobble=0.6)
    img = rs.paint(_paper(rng, size, (252, 252, 250)), cov, colour, rng.uniform(0.85, 0.95))
    return _rgb(img)


def blue_ink(digit, variant, rng):
    """Blue ballpoint on white paper, RGB."""
    return _ink(rng, digit, variant, (20, 45, 160))


def red_ink(digit, variant, rng):
    """Red ballpoint on white paper, RGB."""
    return _ink(rng, digit, variant, (200, 25, 35))


def sticky_note(digit, variant, rng):
    """Felt-tip on a yellow sticky note (with its shaded lower edge), RGB."""
    size = _square(rng, 260, 340)
    h, w = size
    note = _paper(rng, size, (253, 236, 112), 2.0)
    shade = np.linspace(0.0, 1.0, h)[:, None, None] ** 3 * 0.12  # curl at the bottom
    note *= 1.0 - shade
    note[: h // 9] *= 0.97  # the glued strip is slightly darker
    cov = _digit(rng, digit, variant, size, rng.uniform(0.58, 0.7), size[0] * rng.uniform(0.016, 0.022),
                 taper=0.08, pressure=0.05)
    img = rs.paint(note, cov, (30, 30, 40))
    return _rgb(img)


def pencil(digit, variant, rng):
    """Faint graphite pencil: low contrast, grainy paper tooth, 8-bit gray."""
    size = _square(rng, 260, 340)
    h, w = size
    paper = _paper(rng, size, (236,), 3.0)
    cov = _digit(rng, digit, variant, size, rng.uniform(0.6, 0.72), size[0] * rng.uniform(0.009, 0.013),
                 taper=0.35, pressure=0.2, wobble=0.5)
    tooth = rng.normal(0.0, 1.0, size).astype(np.float32)
    alpha = cov * np.clip(0.7 + 0.3 * tooth, 0.0, 1.0)
    img = rs.paint(paper, alpha, (95,), rng.uniform(0.55, 0.7))
    img += 1.5 * tooth[..., None]
    return _gray(img)


def fineliner(digit, variant, rng):
    """A very thin fine-liner pen (about 1.5 px line) on white, 8-bit gray."""
    size = _square(rng, 260, 340)
    cov = _digit(rng, digit, variant, size, rng.uniform(0.6, 0.74), rng.uniform(0.7, 0.9),
                 taper=0.0, pressure=0.0, wobble=0.4)
    img = rs.paint(_paper(rng, size, (253,), 1.0), cov, (15,))
    return _gray(img)


def notebook(digit, variant, rng):
    """Ruled notebook paper: blue horizontal lines, a red margin, blue pen, RGB."""
    size = _square(rng, 320, 400)
    h, w = size
    img = _paper(rng, size, (250, 250, 244), 1.5)
    gap = rng.uniform(22, 28)
    y = np.arange(h, dtype=np.float32)
    d = np.abs((y - rng.uniform(0, gap)) % gap - gap / 2) - gap / 2  # distance to nearest line
    rules = np.clip(1.2 - np.abs(d), 0, 1)[:, None] * np.ones((1, w), np.float32)
    img = rs.paint(img, rules, (140, 180, 225), 0.9)
    margin_x = rng.uniform(0.12, 0.18) * w
    x = np.arange(w, dtype=np.float32)
    margin = np.clip(1.4 - np.abs(x - margin_x), 0, 1)[None, :] * np.ones((h, 1), np.float32)
    img = rs.paint(img, margin, (225, 95, 100), 0.9)
    centre = ((margin_x + w) / 2 + rng.normal(0, 8), h / 2 + rng.normal(0, 8))
    cov = _digit(rng, digit, variant, size, rng.uniform(0.52, 0.62), size[0] * rng.uniform(0.008, 0.011),
                 centre=centre, wobble=0.6)
    img = rs.paint(img, cov, (25, 35, 110), 0.92)
    return _rgb(img)


def tilted(digit, variant, rng):
    """A digit written 10-15 degrees off vertical, black pen, 8-bit gray."""
    size = _square(rng, 260, 360)
    angle = rng.uniform(10, 15) * rng.choice([-1, 1])
    cov = _digit(rng, digit, variant, size, rng.uniform(0.6, 0.7), size[0] * rng.uniform(0.009, 0.012),
                 rotate=angle, slant=0.0)
    img = rs.paint(_paper(rng, size, (248,)), cov, (30,))
    out = _gray(img)
    out["kind"] += f", turned {angle:+.0f} deg"
    return out


def phone_photo(digit, variant, rng):
    """An out-of-focus phone photo: gray paper, uneven light, vignette, blur, noise.

    600 x 800 portrait, RGB.
    """
    h, w = 800, 600
    img = _paper(rng, (h, w), (206, 202, 194), 3.0)
    cov = _digit(rng, digit, variant, (h, w), rng.uniform(0.6, 0.7), rng.uniform(6.0, 8.0),
                 taper=0.2, wobble=0.8)
    img = rs.paint(img, cov, (40, 40, 52), 0.95)
    img = rs.gaussian_blur(img, rng.uniform(2.0, 3.0))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = rng.uniform(0, 2 * np.pi)
    light = 1.0 + 0.12 * ((xx / w - 0.5) * np.cos(ang) + (yy / h - 0.5) * np.sin(ang))
    r2 = ((xx - w / 2) / (0.62 * w)) ** 2 + ((yy - h / 2) / (0.62 * h)) ** 2
    vignette = 1.0 - 0.3 * np.clip(r2, 0, 1.5) ** 1.5
    img *= (light * vignette)[..., None]
    img += 1.2 * rs.smooth_noise(rng, h, w, 4)[..., None]  # denoised sensor grain
    return _rgb(img)


def scan16(digit, variant, rng):
    """A 16-bit grayscale flatbed scan at 300 dpi (pHYs), pen on paper."""
    size = _square(rng, 300, 380)
    h, w = size
    paper = rs.solid(h, w, (0.94,))
    paper += (np.linspace(-0.015, 0.015, w)[None, :, None]).astype(np.float32)  # lamp falloff
    cov = _digit(rng, digit, variant, size, rng.uniform(0.6, 0.72), size[0] * rng.uniform(0.008, 0.011))
    img = rs.paint(paper, cov, (0.1,), 0.95)
    px = np.clip(np.rint(img[..., 0] * 65535.0), 0, 65535).astype(np.uint16)
    return {"pixels": px, "colour": "gray", "depth": 16, "dpi": 300, "kind": "16-bit gray, 300 dpi"}


def small_corner(digit, variant, rng):
    """A small (about 60 px) digit off in a corner region of a 1200 x 900 page."""
    h, w = 900, 1200
    cx = rng.choice([rng.uniform(90, 260), rng.uniform(w - 260, w - 90)])
    cy = rng.choice([rng.uniform(80, 220), rng.uniform(h - 220, h - 80)])
    height_px = rng.uniform(55, 70)
    cov = _digit(rng, digit, variant, (h, w), height_px / h, rng.uniform(1.6, 2.2), centre=(cx, cy))
    img = rs.paint(rs.solid(h, w, (250,)), cov, (25,))
    return _gray(img)


def palette_trns(digit, variant, rng):
    """An indexed-colour sticker export: 32 alpha levels of ink, PLTE + tRNS."""
    size = _square(rng, 240, 320)
    cov = _digit(rng, digit, variant, size, rng.uniform(0.62, 0.74), size[0] * rng.uniform(0.02, 0.03),
                 taper=0.1, pressure=0.05)
    ink = (25, 30, 120)
    pal = [(255, 255, 255)] + [ink] * 31
    trns = [round(i * 255 / 31) for i in range(32)]
    idx = np.rint(np.clip(cov, 0, 1) * 31).astype(np.uint8)
    return {"pixels": idx, "colour": "palette", "depth": 8, "palette": pal, "trns": trns,
            "kind": "8-bit palette + tRNS"}


def palette_4bit(digit, variant, rng):
    """A 16-colour scan (4-bit palette, opaque): blue ink on off-white."""
    size = _square(rng, 260, 340)
    cov = _digit(rng, digit, variant, size, rng.uniform(0.6, 0.72), size[0] * rng.uniform(0.01, 0.014))
    paper, ink = np.array([246, 244, 236.0]), np.array([25, 35, 120.0])
    pal = [tuple(int(round(v)) for v in paper + (ink - paper) * i / 15) for i in range(16)]
    idx = np.rint(np.clip(cov * 0.95, 0, 1) * 15).astype(np.uint8)
    return {"pixels": idx, "colour": "palette", "depth": 4, "palette": pal,
            "kind": "4-bit palette"}


def interlaced_rgb(digit, variant, rng):
    """Black pen on slightly warm paper, RGB, Adam7 interlaced."""
    out = _ink(rng, digit, variant, (20, 20, 25))
    out.update(interlace=True, kind="8-bit RGB, Adam7 interlaced")
    return out


def interlaced_gray(digit, variant, rng):
    """Marker on white, 8-bit gray, Adam7 interlaced."""
    out = marker(digit, variant, rng)
    out.update(interlace=True, kind="8-bit gray, Adam7 interlaced")
    return out


STYLES = {
    "pen": pen,
    "marker": marker,
    "chalk": chalk,
    "rgba-canvas": rgba_canvas,
    "blue-ink": blue_ink,
    "red-ink": red_ink,
    "sticky-note": sticky_note,
    "pencil": pencil,
    "fineliner": fineliner,
    "notebook": notebook,
    "tilted": tilted,
    "phone-photo": phone_photo,
    "scan16": scan16,
    "small-corner": small_corner,
    "palette-trns": palette_trns,
    "palette-4bit": palette_4bit,
    "interlaced-rgb": interlaced_rgb,
    "interlaced-gray": interlaced_gray,
}
