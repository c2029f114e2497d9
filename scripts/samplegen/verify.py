"""Check written PNG files.

Three levels, strongest available wins:
  1. always: walk the chunks, check every CRC-32, the IHDR fields, and that
     the concatenated IDAT data inflates to exactly the expected number of
     filtered scanline bytes (our own code, so not independent);
  2. `pngcheck` if installed (independent structural check);
  3. ImageMagick (`magick` or `convert`) if installed: decode the file
     independently and compare every pixel, as 16-bit RGBA, with what we meant
     to write.
"""

import shutil
import struct
import subprocess
import zlib

import numpy as np

from .pngwrite import ADAM7, CHANNELS, COLOUR_TYPES, SIGNATURE


def tools():
    """Return (pngcheck path or None, ImageMagick command list or None)."""
    im = None
    if shutil.which("magick"):
        im = ["magick"]
    elif shutil.which("convert"):
        im = ["convert"]
    return shutil.which("pngcheck"), im


def _raw_size(w, h, depth, channels, interlace):
    """Number of filtered scanline bytes (with filter-type bytes) to expect."""
    def rows(pw, ph):
        """Bytes of one (sub-)image of pw x ph pixels."""
        return 0 if pw == 0 or ph == 0 else ph * (1 + (pw * depth * channels + 7) // 8)
    if not interlace:
        return rows(w, h)
    return sum(rows((w - xs + dx - 1) // dx, (h - ys + dy - 1) // dy)
               for xs, ys, dx, dy in ADAM7)


def own_check(path, spec):
    """Structural check of our own; raises ValueError on the first problem."""
    data = open(path, "rb").read()
    if not data.startswith(SIGNATURE):
        raise ValueError("bad signature")
    pos, idat, kinds = 8, b"", []
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError(f"CRC mismatch in {kind!r}")
        kinds.append(kind)
        if kind == b"IDAT":
            idat += body
        elif kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        pos += 12 + n
    if kinds[0] != b"IHDR" or kinds[-1] != b"IEND" or b"IDAT" not in kinds:
        raise ValueError(f"bad chunk order {kinds}")
    px = np.asarray(spec["pixels"])
    w, h, depth, ctype, _, _, inter = ihdr
    want = (px.shape[1], px.shape[0], spec.get("depth", 8),
            COLOUR_TYPES[spec.get("colour", "gray")], int(bool(spec.get("interlace"))))
    if (w, h, depth, ctype, inter) != want:
        raise ValueError(f"IHDR {ihdr} does not match {want}")
    size = len(zlib.decompress(idat))
    expect = _raw_size(w, h, depth, CHANNELS[ctype], inter)
    if size != expect:
        raise ValueError(f"IDAT inflates to {size} bytes, expected {expect}")


def expected_rgba16(spec):
    """The picture we meant to write, as a (h, w, 4) uint16 RGBA array."""
    px = np.asarray(spec["pixels"]).astype(np.int64)
    if px.ndim == 2:
        px = px[..., None]
    depth, colour = spec.get("depth", 8), spec.get("colour", "gray")
    if colour == "palette":
        pal = np.asarray(spec["palette"], np.int64) * 257
        alpha = np.full(len(pal), 65535, np.int64)
        if spec.get("trns") is not None:
            t = np.asarray(spec["trns"], np.int64) * 257
            alpha[:len(t)] = t
        idx = px[..., 0]
        return np.dstack([pal[idx], alpha[idx]]).astype(np.uint16)
    scale = 65535 // ((1 << depth) - 1)
    px = px * scale
    opaque = np.full(px.shape[:2] + (1,), 65535, np.int64)
    if colour == "gray":
        return np.dstack([px, px, px, opaque]).astype(np.uint16)
    if colour == "gray-alpha":
        return np.dstack([px[..., :1]] * 3 + [px[..., 1:]]).astype(np.uint16)
    if colour == "rgb":
        return np.dstack([px, opaque]).astype(np.uint16)
    return px.astype(np.uint16)


def check(path, spec, pngcheck=None, im=None):
    """Run every available check on one file; return the names of those passed.

    Raises ValueError (with the tool's message) when a check fails.
    """
    own_check(path, spec)
    passed = ["crc+idat"]
    if pngcheck:
        r = subprocess.run([pngcheck, "-q", path], capture_output=True, text=True)
        if r.returncode != 0:
            raise ValueError(f"pngcheck: {r.stdout.strip()} {r.stderr.strip()}")
        passed.append("pngcheck")
    if im:
        r = subprocess.run(im + [path, "-depth", "16", "-endian", "MSB", "rgba:-"], capture_output=True)
        if r.returncode != 0:
            raise ValueError(f"ImageMagick: {r.stderr.decode(errors='replace').strip()}")
        want = expected_rgba16(spec)
        got = np.frombuffer(r.stdout, ">u2")
        if got.size != want.size:
            raise ValueError(f"ImageMagick decoded {got.size} samples, expected {want.size}")
        diff = np.abs(got.reshape(want.shape).astype(np.int64) - want)
        # Compare alpha everywhere, colour only where the pixel is not fully
        # transparent (a decoder may report any colour there).
        bad = (diff[..., 3] > 0) | ((want[..., 3] > 0) & (diff[..., :3].max(axis=2) > 0))
        if bad.any():
            y, x = np.argwhere(bad)[0]
            raise ValueError(f"ImageMagick pixels differ at {bad.sum()} places, first at "
                             f"x={x} y={y}: got {got.reshape(want.shape)[y, x]}, want {want[y, x]}")
        passed.append("imagemagick-pixels")
    return passed
