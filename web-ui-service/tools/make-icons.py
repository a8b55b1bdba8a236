#!/usr/bin/env python3
"""Draws the PWA icons (a camera lens on navy) as PNGs with the standard library only."""
import math, struct, sys, zlib

def png(size, path, maskable=False):
    rows = []
    c = size / 2
    pad = 0 if maskable else size * 0.06
    radius = size * 0.22
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            # rounded square background (full bleed when maskable)
            inside = True
            if not maskable:
                dx = max(pad + radius - x, 0, x - (size - pad - radius))
                dy = max(pad + radius - y, 0, y - (size - pad - radius))
                inside = x >= pad and y >= pad and x < size - pad and y < size - pad and dx * dx + dy * dy <= radius * radius
            if not inside:
                row += bytes([0, 0, 0, 0]); continue
            r = math.hypot(x - c, y - c) / size
            if r < 0.10: col = (47, 111, 222)
            elif r < 0.16: col = (15, 30, 51)
            elif r < 0.26: col = (255, 255, 255)
            else: col = (31, 58, 95)
            if math.hypot(x - (c + size * 0.07), y - (c - size * 0.07)) < size * 0.035: col = (255, 255, 255)
            row += bytes(col + (255,))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    open(path, "wb").write(data)

out = sys.argv[1]
png(192, out + "/icon-192.png")
png(512, out + "/icon-512.png")
png(512, out + "/maskable-512.png", maskable=True)
png(96, out + "/badge-96.png")
