import type { Box, Plane } from './digit-image';

/**
 * The digit is the dominant cluster of connected strokes: the strongest component that is not a
 * frame or a page edge, and the components close to it that are big enough to be part of it
 * (the bar of a 5, a broken ballpoint stroke). Specks and stray marks elsewhere are ignored.
 */

export interface Component {
  label: number;
  /** Pixels in the component. */
  area: number;
  /** Sum of its ink. */
  mass: number;
  box: Box;
  touchesBorder: boolean;
}

/** 8-connected components of a mask, by union-find; labels[i] is 0 off the mask. */
export function labelComponents(
  mask: Uint8Array,
  ink: Plane,
): { labels: Int32Array; components: Component[] } {
  const { width, height, data } = ink;
  const parent: number[] = [0];
  const find = (a: number) => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const labels = new Int32Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      // Neighbours already labelled: left, and the three above (no array per pixel: this loop
      // runs for every ink pixel of a photo).
      let label = x > 0 ? labels[i - 1] : 0;
      if (y > 0) {
        const above = i - width;
        for (let dx = x > 0 ? -1 : 0; dx <= (x < width - 1 ? 1 : 0); dx++) {
          const n = labels[above + dx];
          if (!n) continue;
          if (!label) label = n;
          else if (n !== label) union(label, n);
        }
      }
      if (!label) {
        label = parent.length;
        parent.push(label);
      }
      labels[i] = label;
    }
  }
  const byRoot = new Map<number, Component & { right: number; bottom: number }>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!labels[i]) continue;
      const root = find(labels[i]);
      labels[i] = root;
      let c = byRoot.get(root);
      if (!c) {
        c = {
          label: root,
          area: 0,
          mass: 0,
          box: { left: x, top: y, width: 1, height: 1 },
          right: x,
          bottom: y,
          touchesBorder: false,
        };
        byRoot.set(root, c);
      }
      c.area++;
      c.mass += data[i];
      if (x < c.box.left) c.box.left = x;
      if (x > c.right) c.right = x;
      if (y > c.bottom) c.bottom = y;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) c.touchesBorder = true;
    }
  }
  const components = [...byRoot.values()].map(({ right, bottom, ...c }) => ({
    ...c,
    box: { ...c.box, width: right - c.box.left + 1, height: bottom - c.box.top + 1 },
  }));
  return { labels, components };
}

/** A closed outline around other ink with little ink of its own: a frame drawn round the digit. */
function isFrame(c: Component, all: Component[]): boolean {
  const fill = c.area / (c.box.width * c.box.height);
  if (fill > 0.12) return false;
  return all.some(
    (o) => o !== c && o.mass > 0.2 * c.mass && inside(o.box, c.box, 2) && o.box.width < c.box.width,
  );
}

/** A component that touches the edge of the picture and spans most of it: a page edge or desk. */
export function isPageEdge(c: Component, width: number, height: number): boolean {
  return c.touchesBorder && (c.box.width > 0.8 * width || c.box.height > 0.8 * height);
}

function inside(inner: Box, outer: Box, margin: number): boolean {
  return (
    inner.left >= outer.left + margin &&
    inner.top >= outer.top + margin &&
    inner.left + inner.width <= outer.left + outer.width - margin &&
    inner.top + inner.height <= outer.top + outer.height - margin
  );
}

function near(a: Box, b: Box, gap: number): boolean {
  return (
    a.left - gap < b.left + b.width &&
    b.left - gap < a.left + a.width &&
    a.top - gap < b.top + b.height &&
    b.top - gap < a.top + a.height
  );
}

function union(a: Box, b: Box): Box {
  const left = Math.min(a.left, b.left);
  const top = Math.min(a.top, b.top);
  return {
    left,
    top,
    width: Math.max(a.left + a.width, b.left + b.width) - left,
    height: Math.max(a.top + a.height, b.top + b.height) - top,
  };
}

/** Components near the cluster join it when they carry this share of the seed's ink. */
const JOIN_SHARE = 0.03;
/** How far (as a share of the cluster's longer side) a part of the digit may stand apart. */
const JOIN_GAP = 0.25;

/**
 * The components that make up the digit, or an empty list when there is nothing but frames,
 * page edges and lines. Components touching the border weigh less: a digit is rarely cut off
 * by the edge of the picture, a shadow or the desk often is.
 */
export function dominantCluster(
  components: Component[],
  width: number,
  height: number,
): Component[] {
  const candidates = components.filter(
    (c) => !isPageEdge(c, width, height) && !isFrame(c, components),
  );
  if (!candidates.length) return [];
  const weight = (c: Component) => c.mass * (c.touchesBorder ? 0.25 : 1);
  const seed = candidates.reduce((best, c) => (weight(c) > weight(best) ? c : best));
  const cluster = [seed];
  let box = seed.box;
  for (let grown = true; grown;) {
    grown = false;
    const gap = JOIN_GAP * Math.max(box.width, box.height);
    for (const c of candidates) {
      if (cluster.includes(c) || c.mass < JOIN_SHARE * seed.mass || !near(c.box, box, gap))
        continue;
      cluster.push(c);
      box = union(box, c.box);
      grown = true;
    }
  }
  return cluster;
}

export function clusterBox(cluster: Component[]): Box {
  return cluster.map((c) => c.box).reduce(union);
}
