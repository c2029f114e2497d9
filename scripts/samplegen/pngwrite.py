"""A small PNG encoder written with zlib + struct (no PIL).

Supports gray (1/2/4/8/16-bit), RGB, gray+alpha, RGBA (8/16-bit), palette
(1/2/4/8-bit, PLTE + optional tRNS), Adam7 interlacing, pHYs, tEXt, and
per-row adaptive filter choice (the minimum-sum-of-absolute-differences rule).
"""

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
COLOUR_TYPES = {"gray": 0, "rgb": 2, "palette": 3, "gray-alpha": 4, "rgba": 6}
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
         (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def chunk(kind, data):
    """Serialise one chunk: length, type, data, CRC-32 over type + data."""
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def pack_rows(pixels, depth):
    """Pack an (h, w, c) integer array into raw scanline bytes, one row each.

    Returns a uint8 array (h, rowbytes).  Sub-byte depths are packed MSB first
    with the unused low bits of the last byte zero; 16-bit is big-endian.
    """
    h, w, c = pixels.shape
    if depth == 16:
        return pixels.astype(">u2").reshape(h, w * c).view(np.uint8).reshape(h, -1)
    if depth == 8:
        return pixels.astype(np.uint8).reshape(h, w * c)
    per = 8 // depth
    wide = (w + per - 1) // per * per
    vals = np.zeros((h, wide), np.uint8)
    vals[:, :w] = pixels[..., 0]
    vals = vals.reshape(h, wide // per, per)
    shifts = (8 - depth * (np.arange(per) + 1)).astype(np.uint8)
    return np.bitwise_or.reduce(vals << shifts, axis=2).astype(np.uint8)


def _paeth(a, b, c):
    """Paeth predictor on int16 arrays."""
    p = a + b - c
    pa, pb, pc = np.abs(p - a), np.abs(p - b), np.abs(p - c)
    return np.where((pa <= pb) & (pa <= pc), a, np.where(pb <= pc, b, c))


def filter_rows(raw, bpp):
    """Apply the best PNG filter to each row; return the filtered byte stream.

    Tries None, Sub, Up and Paeth (Average needs a sequential loop and rarely wins).
    """
    h, n = raw.shape
    out = bytearray()
    prev = np.zeros(n, np.int16)
    for y in range(h):
        row = raw[y].astype(np.int16)
        left = np.concatenate([np.zeros(bpp, np.int16), row[:-bpp]])
        upleft = np.concatenate([np.zeros(bpp, np.int16), prev[:-bpp]])
        cands = [
            (0, row),
            (1, row - left),
            (2, row - prev),
            (4, row - _paeth(left, prev, upleft)),
        ]
        best = None
        for ftype, data in cands:
            b = (data & 0xFF).astype(np.uint8)
            score = int(np.abs(b.view(np.int8).astype(np.int32)).sum())
            if best is None or score < best[0]:
                best = (score, ftype, b)
        out.append(best[1])
        out += best[2].tobytes()
        prev = row
    return bytes(out)


def encode(pixels, colour="gray", depth=8, palette=None, trns=None,
           interlace=False, dpi=None, text=None):
    """Return the bytes of a PNG file.

    pixels   (h, w) or (h, w, c) array of integers already in range for `depth`
             (palette images hold indices)
    colour   one of gray, rgb, palette, gray-alpha, rgba
    palette  list of (r, g, b) for palette images
    trns     for palette: list of alpha values per entry
    dpi      optional resolution written as pHYs (pixels per metre)
    text     optional dict of tEXt keyword -> value
    """
    px = np.asarray(pixels)
    if px.ndim == 2:
        px = px[..., None]
    h, w, c = px.shape
    ctype = COLOUR_TYPES[colour]
    if CHANNELS[ctype] != c:
        raise ValueError(f"{colour} needs {CHANNELS[ctype]} channels, got {c}")
    if px.min() < 0 or px.max() >= (1 << depth):
        raise ValueError(f"sample values out of range for depth {depth}")
    bpp = max(1, c * depth // 8)
    if interlace:
        stream = b""
        for xs, ys, dx, dy in ADAM7:
            sub = px[ys::dy, xs::dx]
            if sub.shape[0] and sub.shape[1]:
                stream += filter_rows(pack_rows(sub, depth), bpp)
    else:
        stream = filter_rows(pack_rows(px, depth), bpp)
    out = [SIGNATURE,
           chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, int(interlace)))]
    if dpi:
        ppm = int(round(dpi / 0.0254))
        out.append(chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)))
    for key, value in (text or {}).items():
        out.append(chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1")))
    if ctype == 3:
        out.append(chunk(b"PLTE", bytes(int(v) for rgb in palette for v in rgb)))
        if trns is not None:
            out.append(chunk(b"tRNS", bytes(int(a) for a in trns)))
    data = zlib.compress(stream, 9)
    for i in range(0, len(data), 1 << 16):  # several IDAT chunks for big images
        out.append(chunk(b"IDAT", data[i:i + (1 << 16)]))
    out.append(chunk(b"IEND", b""))
    return b"".join(out)


def write(path, pixels, **kw):
    """Encode `pixels` (see encode) and write the file; return its byte count."""
    data = encode(pixels, **kw)
    with open(path, "wb") as f:
        f.write(data)
    return len(data)
