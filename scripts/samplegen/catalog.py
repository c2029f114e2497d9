"""What to draw: the committed samples/ set and random evaluation sets."""

import os

import numpy as np

from . import numbers, pngwrite, strokes, styles, verify

# (digit, stroke variant, style, seed).  Every digit appears at least twice,
# every style and every stroke variant at least once.
SAMPLES = [
    (0, "plain", "pen", 101),
    (0, "plain", "notebook", 102),
    (0, "plain", "interlaced-gray", 103),
    (1, "plain", "pencil", 111),
    (1, "flag-base", "pen", 112),
    (1, "flag", "sticky-note", 113),
    (2, "plain", "phone-photo", 121),
    (2, "plain", "blue-ink", 122),
    (3, "plain", "chalk", 131),
    (3, "plain", "scan16", 132),
    (3, "plain", "rgba-canvas", 133),
    (4, "closed", "rgba-canvas", 141),
    (4, "open", "small-corner", 142),
    (4, "open", "marker", 143),
    (5, "plain", "red-ink", 151),
    (5, "plain", "palette-trns", 152),
    (6, "plain", "interlaced-rgb", 161),
    (6, "plain", "tilted", 162),
    (7, "bar", "sticky-note", 171),
    (7, "plain", "fineliner", 172),
    (8, "plain", "pencil", 181),
    (8, "plain", "chalk", 182),
    (9, "curved", "palette-4bit", 191),
    (9, "straight", "marker", 192),
    (9, "straight", "tilted", 193),
]

# (number text with "_" between lines, style in numbers.STYLES, seed): pictures
# of whole numbers for `digit read`, named number-<text>-<style>.png.
NUMBERS = [
    ("2026", "pen", 201),
    ("451", "sticky-note", 202),
    ("1789", "chalk", 203),
    ("3605", "marker", 204),
    ("31_12", "blue-ink", 205),
]


def number_file_name(text, style):
    """`number-<text>-<style>.png`, "_" separating lines in the text; never
    starts with a digit, so single-digit readers can tell the sets apart."""
    return f"number-{text}-{style}.png"


def file_name(digit, variant, style, suffix=""):
    """`<digit>-[<variant>-]<style>[-<suffix>].png`; the variant is named only
    for digits written in more than one way (1, 4, 7, 9)."""
    parts = [str(digit)]
    if len(strokes.variants(digit)) > 1:
        parts.append(variant)
    parts.append(style)
    if suffix:
        parts.append(suffix)
    return "-".join(parts) + ".png"


def render(digit, variant, style, seed):
    """Draw one picture; return the encoder spec (with its "kind" text)."""
    return styles.STYLES[style](digit, variant, np.random.default_rng(seed))


def write_one(path, spec, checks):
    """Write one spec to `path`, verify it, return (bytes, checks passed)."""
    kind = spec.pop("kind")
    size = pngwrite.write(path, **spec)
    passed = verify.check(path, spec, *checks) if checks is not None else []
    spec["kind"] = kind
    return size, passed


def make_samples(out_dir, check=True, log=print):
    """Regenerate the committed sample set into `out_dir`; return total bytes.

    Older `<digit>-*.png` and `number-*.png` files there that are no longer in
    SAMPLES or NUMBERS are removed.
    """
    os.makedirs(out_dir, exist_ok=True)
    checks = verify.tools() if check else None
    wanted = {file_name(d, v, s) for d, v, s, _ in SAMPLES} | {number_file_name(t, s) for t, s, _ in NUMBERS}
    for old in sorted(os.listdir(out_dir)):
        ours = (old[:1].isdigit() and old[1:2] == "-") or old.startswith("number-")
        if old.endswith(".png") and ours and old not in wanted:
            os.remove(os.path.join(out_dir, old))
            log(f"removed stale {old}")
    total = 0
    for digit, variant, style, seed in SAMPLES:
        name = file_name(digit, variant, style)
        spec = render(digit, variant, style, seed)
        size, passed = write_one(os.path.join(out_dir, name), spec, checks)
        total += size
        h, w = np.asarray(spec["pixels"]).shape[:2]
        log(f"{name:32s} {w:4d}x{h:<4d} {spec['kind']:30s} {size:7d} B  [{', '.join(passed)}]")
    for text, style, seed in NUMBERS:
        name = number_file_name(text, style)
        spec = numbers.STYLES[style](text, np.random.default_rng(seed))
        size, passed = write_one(os.path.join(out_dir, name), spec, checks)
        total += size
        h, w = np.asarray(spec["pixels"]).shape[:2]
        log(f"{name:32s} {w:4d}x{h:<4d} {spec['kind']:30s} {size:7d} B  [{', '.join(passed)}]")
    log(f"{len(SAMPLES) + len(NUMBERS)} files, {total} bytes")
    return total


def make_eval_set(out_dir, count, seed, check=True, log=print):
    """Write `count` random digits in random styles/variants into `out_dir`.

    Names are `<digit>-[<variant>-]<style>-<index>.png`, so the true label is
    the text before the first dash.  Returns the per-digit counts.
    """
    os.makedirs(out_dir, exist_ok=True)
    checks = verify.tools() if check else None
    rng = np.random.default_rng(seed)
    names = sorted(styles.STYLES)
    counts = [0] * 10
    width = len(str(max(count - 1, 0)))
    for i in range(count):
        digit = int(rng.integers(10))
        variants = strokes.variants(digit)
        variant = variants[int(rng.integers(len(variants)))]
        style = names[int(rng.integers(len(names)))]
        sub_seed = int(rng.integers(2 ** 63))
        name = file_name(digit, variant, style, f"{i:0{width}d}")
        spec = render(digit, variant, style, sub_seed)
        write_one(os.path.join(out_dir, name), spec, checks)
        counts[digit] += 1
        if (i + 1) % 50 == 0 or i + 1 == count:
            log(f"{i + 1}/{count} written")
    return counts
