import { toPlanes } from './planes';

const rgba = (width: number, height: number, pixel: (i: number) => number[]) => ({
  width,
  height,
  channels: 4 as const,
  data: Uint8Array.from(Array.from({ length: width * height }, (_, i) => pixel(i)).flat()),
  maxValue: 255,
});

describe('toPlanes', () => {
  it('keeps one plane, the luma, for a gray picture stored as RGB', () => {
    const image = rgba(6, 4, (i) => [i * 10, i * 10, i * 10, 255]);
    for (const factor of [1, 2]) {
      const planes = toPlanes(image, factor);
      expect(planes.colours).toHaveLength(1);
      expect(planes.luma).toBe(planes.colours[0]);
      expect(planes.alpha).toBeUndefined();
    }
    expect(toPlanes(image).luma[3]).toBeCloseTo(30 / 255);
  });

  it('keeps three planes and Rec. 601 luma once any pixel has colour', () => {
    const image = rgba(6, 4, (i) => (i === 5 ? [200, 40, 40, 255] : [90, 90, 90, 255]));
    for (const factor of [1, 2]) {
      const planes = toPlanes(image, factor);
      expect(planes.colours).toHaveLength(3);
      expect(planes.luma).not.toBe(planes.colours[0]);
    }
    expect(toPlanes(image).luma[5]).toBeCloseTo((0.299 * 200 + 0.587 * 40 + 0.114 * 40) / 255);
  });

  it('keeps alpha only when some pixel is not opaque', () => {
    const image = rgba(4, 4, (i) => [0, 0, 0, i === 0 ? 0 : 255]);
    expect(toPlanes(image).alpha?.[0]).toBe(0);
  });
});
