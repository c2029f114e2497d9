"""Helpers for scripts/make-samples: draw handwritten-looking digits from strokes.

Modules:
  strokes  - digit shapes as pen strokes (Bezier paths in a unit box) and jitter
  raster   - anti-aliased stroke rasterisation and image utilities (blur, noise)
  pngwrite - a small PNG encoder (zlib + struct): gray, 16-bit, RGB, RGBA,
             palette with tRNS, sub-byte depths and Adam7 interlacing
  styles   - the picture styles people produce (pen, marker, chalk, phone photo...)
  catalog  - the committed sample list and the random evaluation set
  verify   - checks written files (own CRC/IDAT check, pngcheck, ImageMagick)
"""
