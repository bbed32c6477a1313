import { closing, downsample, maxFilter, minFilter, opening, upsample } from './morphology';

function randomPlane(width: number, height: number, seed: number) {
  let s = seed;
  const data = Float32Array.from({ length: width * height }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  });
  return { width, height, data };
}

function bruteForce(
  plane: ReturnType<typeof randomPlane>,
  size: number,
  pick: (a: number, b: number) => number,
) {
  const r = Math.floor(size / 2);
  const out = new Float32Array(plane.data.length);
  for (let y = 0; y < plane.height; y++)
    for (let x = 0; x < plane.width; x++) {
      let v = plane.data[y * plane.width + x];
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < plane.width && yy < plane.height)
            v = pick(v, plane.data[yy * plane.width + xx]);
        }
      out[y * plane.width + x] = v;
    }
  return out;
}

describe('morphology', () => {
  it('computes the sliding minimum and maximum exactly, at any window size', () => {
    for (const [width, height, size] of [
      [17, 11, 3],
      [1, 6, 3],
      [6, 1, 3],
      [2, 2, 3],
      [30, 7, 9],
      [5, 40, 15],
    ]) {
      const plane = randomPlane(width, height, width * height + size);
      expect(Array.from(minFilter(plane, size).data)).toEqual(
        Array.from(bruteForce(plane, size, Math.min)),
      );
      expect(Array.from(maxFilter(plane, size).data)).toEqual(
        Array.from(bruteForce(plane, size, Math.max)),
      );
    }
  });

  it('opening removes bright strokes narrower than the window; closing dark ones', () => {
    const width = 40;
    const data = new Float32Array(width * 40).fill(0.5);
    for (let y = 0; y < 40; y++) data[y * width + 20] = 1;
    expect(Math.max(...opening({ width, height: 40, data }, 5).data)).toBe(0.5);
    const dark = data.map((v) => (v === 1 ? 0 : v));
    expect(Math.min(...closing({ width, height: 40, data: dark }, 5).data)).toBe(0.5);
  });

  it('downsamples by block means and upsamples smooth light back to its size', () => {
    const width = 64;
    const ramp = {
      width,
      height: 48,
      data: Float32Array.from({ length: width * 48 }, (_, i) => (i % width) / width),
    };
    const small = downsample(ramp, 4);
    expect([small.width, small.height]).toEqual([16, 12]);
    const back = upsample(small, 4, width, 48);
    for (let x = 4; x < width - 4; x++)
      expect(back.data[10 * width + x]).toBeCloseTo(ramp.data[10 * width + x], 5);
  });
});
