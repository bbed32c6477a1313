/**
 * A digit redrawn with a pen of any width: the shape is thinned to its centre line (Zhang and
 * Suen's thinning) and a round pen is drawn along it. MNIST's own strokes are all about a tenth of
 * the digit's height; fine liners and ballpoints in big photos are far thinner.
 */

/** The one-pixel centre line of a binary mask (1 = ink), by Zhang-Suen thinning. */
export function centreLine(mask: Uint8Array, width: number, height: number): Uint8Array {
  const m = Uint8Array.from(mask);
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : m[y * width + x];
  const p = new Uint8Array(8);
  for (let changed = true; changed;) {
    changed = false;
    for (const pass of [0, 1]) {
      const remove: number[] = [];
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          if (!m[y * width + x]) continue;
          // Neighbours clockwise from north.
          p[0] = at(x, y - 1);
          p[1] = at(x + 1, y - 1);
          p[2] = at(x + 1, y);
          p[3] = at(x + 1, y + 1);
          p[4] = at(x, y + 1);
          p[5] = at(x - 1, y + 1);
          p[6] = at(x - 1, y);
          p[7] = at(x - 1, y - 1);
          const neighbours = p[0] + p[1] + p[2] + p[3] + p[4] + p[5] + p[6] + p[7];
          if (neighbours < 2 || neighbours > 6) continue;
          let transitions = 0;
          for (let k = 0; k < 8; k++) if (!p[k] && p[(k + 1) % 8]) transitions++;
          if (transitions !== 1) continue;
          const keep =
            pass === 0
              ? p[0] * p[2] * p[4] || p[2] * p[4] * p[6]
              : p[0] * p[2] * p[6] || p[0] * p[4] * p[6];
          if (!keep) remove.push(y * width + x);
        }
      for (const i of remove) m[i] = 0;
      if (remove.length) changed = true;
    }
  }
  return m;
}

/**
 * Ink coverage (0-1, outSize x outSize) of the shape in `coverage` (0-255, size x size, cut at
 * half) redrawn along its centre line with a round, anti-aliased pen `penWidth` output pixels
 * wide. The centre line is found at `size`, so a small shape thins quickly and is drawn large.
 */
export function redrawWithPen(
  coverage: ArrayLike<number>,
  size: number,
  penWidth: number,
  outSize = size,
): Float32Array {
  const line = centreLine(
    Uint8Array.from(coverage, (v) => (v > 127 ? 1 : 0)),
    size,
    size,
  );
  const out = new Float32Array(outSize * outSize);
  const scale = outSize / size;
  const radius = penWidth / 2;
  const reach = Math.ceil(radius + 1);
  const stamp = (cx: number, cy: number) => {
    for (let py = Math.floor(cy - reach); py <= cy + reach; py++)
      for (let px = Math.floor(cx - reach); px <= cx + reach; px++) {
        if (px < 0 || py < 0 || px >= outSize || py >= outSize) continue;
        const ink = Math.min(
          1,
          Math.max(0, radius + 0.5 - Math.hypot(px + 0.5 - cx, py + 0.5 - cy)),
        );
        if (ink > out[py * outSize + px]) out[py * outSize + px] = ink;
      }
  };
  // Each centre-line pixel, and the segment to each following neighbour, at a step of a pixel.
  const steps = Math.max(1, Math.ceil(scale * Math.SQRT2));
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      if (!line[y * size + x]) continue;
      const from = { x: (x + 0.5) * scale, y: (y + 0.5) * scale };
      stamp(from.x, from.y);
      for (const [dx, dy] of [
        [1, 0],
        [-1, 1],
        [0, 1],
        [1, 1],
      ]) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || nx >= size || ny >= size || !line[ny * size + nx]) continue;
        for (let s = 1; s < steps; s++)
          stamp(from.x + (dx * scale * s) / steps, from.y + (dy * scale * s) / steps);
      }
    }
  return out;
}

/** The box `[left, top, width, height]` of an MNIST digit's strokes (its non-zero pixels). */
export function strokeBox(digit: Uint8Array, size = 28): [number, number, number, number] {
  let [left, right, top, bottom] = [size, -1, size, -1];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      if (digit[y * size + x] > 0) {
        [left, right] = [Math.min(left, x), Math.max(right, x)];
        [top, bottom] = [Math.min(top, y), Math.max(bottom, y)];
      }
  return [left, top, right - left + 1, bottom - top + 1];
}
