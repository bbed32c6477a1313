"""schemathesis hooks: the upload fields (format: binary) get real pictures.

Left to itself schemathesis fills a binary field with arbitrary bytes, which the service rightly
refuses (400, 415), so it would never test a picture the service reads. Here every generated
upload is a real PNG: gray, gray with alpha, RGB or RGBA, 8 or 16 bits, 1 to 64 pixels a side,
either noise, a flat fill (no digit: 422 NO_DIGIT_FOUND) or strokes on a ground (a digit-like
mark). Plain Python and zlib, so nothing beyond schemathesis is needed.
"""

import struct
import zlib

import schemathesis
from hypothesis import strategies as st
from schemathesis.transport.serialization import Binary

COLOUR_TYPES = {1: 0, 2: 4, 3: 2, 4: 6}  # channels -> PNG colour type


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(width: int, height: int, channels: int, depth: int, values: list[int]) -> bytes:
    size = 2 if depth == 16 else 1
    rows = []
    for y in range(height):
        row = bytearray([0])
        for v in values[y * width * channels : (y + 1) * width * channels]:
            row += v.to_bytes(size, "big")
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, depth, COLOUR_TYPES[channels], 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + _chunk(b"IEND", b"")
    )


@st.composite
def pictures(draw) -> Binary:
    width = draw(st.integers(1, 64))
    height = draw(st.integers(1, 64))
    channels = draw(st.sampled_from([1, 2, 3, 4]))
    depth = draw(st.sampled_from([8, 16]))
    top = (1 << depth) - 1
    kind = draw(st.sampled_from(["strokes", "strokes", "flat", "noise"]))
    ground = draw(st.integers(0, top))
    ink = draw(st.integers(0, top))
    if kind == "noise":
        seed = draw(st.integers(0, 2**31))
        pixel = lambda x, y, c: (seed * 1103515245 + (y * width + x) * 2654435761 + c * 97) % (top + 1)  # noqa: E731
    elif kind == "flat":
        pixel = lambda x, y, c: ground  # noqa: E731
    else:
        # A few thick straight strokes, as a digit is made of.
        strokes = draw(st.lists(st.tuples(*[st.floats(0.15, 0.85)] * 4), min_size=1, max_size=4))
        thickness = draw(st.floats(0.04, 0.15))

        def pixel(x: int, y: int, c: int) -> int:
            u, v = (x + 0.5) / width, (y + 0.5) / height
            for x0, y0, x1, y1 in strokes:
                dx, dy = x1 - x0, y1 - y0
                t = max(0.0, min(1.0, ((u - x0) * dx + (v - y0) * dy) / (dx * dx + dy * dy or 1)))
                if (u - x0 - t * dx) ** 2 + (v - y0 - t * dy) ** 2 <= thickness**2:
                    return ink
            return ground

    values = []
    for y in range(height):
        for x in range(width):
            for c in range(channels):
                opaque = channels in (2, 4) and c == channels - 1
                values.append(top if opaque else pixel(x, y, c))
    return Binary(encode_png(width, height, channels, depth, values))


schemathesis.openapi.format("binary", pictures())
