/**
 * Pictures of digits as people send them, made from MNIST *test* digits so that no model has
 * trained on their handwriting: each kind isolates one way real pictures differ from MNIST crops.
 * Every picture is seeded by its index, so a run makes the same files every time.
 */
import seedrandom from 'seedrandom';
import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import { redrawWithPen, strokeBox } from '@mnist-mlops/testing';

export const PICTURE_KINDS = [
  'photo',
  'exif',
  'drawing',
  'dark',
  'uneven-ruled',
  'uneven-squared',
  'coloured-ink',
  'soft-drawing',
  'thick-pen',
  'thin-pen',
  'small-off-centre',
  'far-away',
  'tight-crop',
] as const;
export type PictureKind = (typeof PICTURE_KINDS)[number] | 'printed' | 'other-hands';

export interface Picture {
  kind: PictureKind;
  extension: 'png' | 'jpg';
  bytes: Buffer;
}

type Rgb = [number, number, number];
type Random = () => number;

const between = (random: Random, low: number, high: number) => low + (high - low) * random();
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)];

/** The digit's shape is thinned to its centre line at this size when it is redrawn with a pen. */
const CENTRE_LINE_SIZE = 140;

/**
 * The digit's ink coverage (0-255) on a size x size canvas: the 28x28 digit enlarged smoothly,
 * then cut at `level` (lower = thicker pen, higher = thinner) and softened by `blur` pixels. With
 * `pen`, the shape is redrawn along its centre line with a round pen that share of the canvas
 * wide, as a ballpoint, a fine liner or a drawing pad's brush draws: MNIST's own pens are all
 * about a tenth of the digit's height, far wider than a ballpoint's.
 */
async function inkCoverage(
  digit: Uint8Array,
  size: number,
  { level = 0.45, blur = 0, pen }: { level?: number; blur?: number; pen?: number } = {},
): Promise<Buffer> {
  // Sharp edge, then anti-aliased by the blur: a pen stroke, not an enlarged MNIST pixel.
  const softness = 0.12;
  const gain = 1 / softness;
  const gray = (i: Sharp) => i.toColourspace('b-w').raw().toBuffer();
  const cut = (side: number) =>
    gray(
      sharp(Buffer.from(digit), { raw: { width: 28, height: 28, channels: 1 } })
        .resize(side, side, { kernel: 'cubic' })
        .linear(gain, -255 * (level - softness / 2) * gain),
    );
  const coverage = pen
    ? Buffer.from(
        Uint8Array.from(
          redrawWithPen(await cut(CENTRE_LINE_SIZE), CENTRE_LINE_SIZE, pen * size, size),
          (v) => Math.round(v * 255),
        ),
      )
    : await cut(size);
  let image = sharp(coverage, { raw: { width: size, height: size, channels: 1 } });
  if (blur > 0.3) image = image.blur(blur);
  return gray(image);
}

/** RGB ink on white where there is ink, white elsewhere: a layer to multiply onto paper. */
function inkLayer(coverage: Buffer, colour: Rgb): Buffer {
  const out = Buffer.alloc(coverage.length * 3);
  for (let i = 0; i < coverage.length; i++) {
    const a = coverage[i] / 255;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(255 * (1 - a) + colour[c] * a);
  }
  return out;
}

interface PaperOptions {
  tint: Rgb;
  /** Brightness at the darkest corner, against 1 at the brightest. */
  falloff: number;
  /** A soft band this much darker, across the sheet, or 0. */
  shadow: number;
  lines?: 'ruled' | 'squared';
  lineColour?: Rgb;
}

/**
 * Paper under room light, width x height: tinted, a brightness gradient from one corner, a soft
 * shadow band, ruled or squared lines a little askew, sensor noise. Light varies slowly, so it is
 * drawn small and enlarged.
 */
async function paper(
  width: number,
  height: number,
  options: PaperOptions,
  random: Random,
): Promise<Sharp> {
  const small = { width: 160, height: Math.round((160 * height) / width) };
  const light = Buffer.alloc(small.width * small.height * 3);
  const corner = { x: random() < 0.5 ? 0 : 1, y: random() < 0.5 ? 0 : 1 };
  const band = {
    angle: between(random, -0.6, 0.6),
    at: between(random, 0.25, 0.75),
    width: between(random, 0.12, 0.3),
    edge: between(random, 0.03, 0.08),
  };
  for (let y = 0; y < small.height; y++) {
    for (let x = 0; x < small.width; x++) {
      const u = x / (small.width - 1);
      const v = y / (small.height - 1);
      const distance = Math.hypot(u - corner.x, v - corner.y) / Math.SQRT2;
      let brightness = 1 - (1 - options.falloff) * distance;
      if (options.shadow > 0) {
        const across = (u - 0.5) * Math.sin(band.angle) + (v - band.at) * Math.cos(band.angle);
        const inside = Math.abs(across) - band.width / 2;
        const depth = 1 / (1 + Math.exp(inside / band.edge));
        brightness *= 1 - options.shadow * depth;
      }
      for (let c = 0; c < 3; c++)
        light[(y * small.width + x) * 3 + c] = Math.round(options.tint[c] * brightness);
    }
  }
  const layers: OverlayOptions[] = [];
  if (options.lines) {
    const spacing = Math.round(height * between(random, 0.035, 0.06));
    const tilt = between(random, -2.5, 2.5);
    const stroke = Math.max(2, Math.round(height / 1000));
    const [r, g, b] = options.lineColour ?? [120, 160, 220];
    const paths: string[] = [];
    for (let y = -height; y < 2 * height; y += spacing)
      paths.push(`M ${-width} ${y} H ${2 * width}`);
    if (options.lines === 'squared')
      for (let x = -width; x < 2 * width; x += spacing)
        paths.push(`M ${x} ${-height} V ${2 * height}`);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/><g transform="rotate(${tilt} ${width / 2} ${height / 2})" stroke="rgb(${r},${g},${b})" stroke-width="${stroke}" fill="none"><path d="${paths.join(' ')}"/></g></svg>`;
    layers.push({ input: Buffer.from(svg), blend: 'multiply' });
  }
  // Intermediate images stay raw: encoding 12 MP PNGs would cost more than drawing them.
  const raw = { width, height, channels: 3 as const };
  // Sensor noise: one seeded 256x256 tile, repeated (libvips' own Gaussian noise costs seconds
  // at 12 MP).
  const tile = { width: 256, height: 256, channels: 3 as const };
  const noise = Buffer.alloc(tile.width * tile.height * 3);
  for (let i = 0; i < noise.length; i++) {
    const gaussian = (random() + random() + random() + random() - 2) * 1.732;
    noise[i] = Math.max(0, Math.min(255, Math.round(128 + 10 * gaussian)));
  }
  layers.push({ input: noise, raw: tile, tile: true, blend: 'soft-light' });
  const base = await sharp(light, { raw: { ...small, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  return sharp(base, { raw }).composite(layers);
}

/** A photo of the digit written on paper: ink multiplied onto the paper at (left, top). */
async function photoOfDigit(
  digit: Uint8Array,
  frame: { width: number; height: number },
  place: { size: number; left: number; top: number },
  ink: { colour: Rgb; level?: number; blur?: number; pen?: number },
  paperOptions: PaperOptions,
  random: Random,
): Promise<Buffer> {
  const coverage = await inkCoverage(digit, place.size, ink);
  const layer = await sharp(inkLayer(coverage, ink.colour), {
    raw: { width: place.size, height: place.size, channels: 3 },
  })
    .png()
    .toBuffer();
  const sheet = await (
    await paper(frame.width, frame.height, paperOptions, random)
  )
    .png()
    .toBuffer();
  return sharp(sheet)
    .composite([{ input: layer, left: place.left, top: place.top, blend: 'multiply' }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

const WHITE: Rgb = [236, 234, 228];
const BALLPOINT: Rgb[] = [
  [25, 25, 30],
  [30, 45, 140],
];

/** One picture of `kind` of the given MNIST digit; `index` seeds every random choice. */
export async function makePicture(
  kind: (typeof PICTURE_KINDS)[number],
  digit: Uint8Array,
  index: number,
): Promise<Picture> {
  const random = seedrandom(`${kind}-${index}`);
  const jpeg = (bytes: Buffer): Picture => ({ kind, extension: 'jpg', bytes });
  const png = (bytes: Buffer): Picture => ({ kind, extension: 'png', bytes });
  const big = { width: 4000, height: 3000 };
  switch (kind) {
    case 'photo':
    case 'exif': {
      // Dark ink on off-white paper, off-centre, slightly soft; the EXIF one stored sideways.
      const size = 900;
      const bytes = await photoOfDigit(
        digit,
        { width: 3000, height: 2200 },
        { size, left: 700 + (index % 5) * 150, top: 500 },
        { colour: [20, 20, 20], blur: 2 },
        { tint: [230, 226, 214], falloff: 0.95, shadow: 0 },
        random,
      );
      if (kind === 'photo') return jpeg(bytes);
      const sideways = await sharp(bytes).rotate(-90).toBuffer();
      return jpeg(
        await sharp(sideways).withMetadata({ orientation: 6 }).jpeg({ quality: 80 }).toBuffer(),
      );
    }
    case 'drawing': {
      // A drawing-pad export: a round brush of one width, black on a transparent background.
      const coverage = await inkCoverage(digit, 280, { pen: between(random, 0.04, 0.1), blur: 1 });
      const rgba = Buffer.alloc(280 * 280 * 4);
      for (let i = 0; i < coverage.length; i++) rgba[i * 4 + 3] = coverage[i];
      return png(
        await sharp(rgba, { raw: { width: 280, height: 280, channels: 4 } })
          .png()
          .toBuffer(),
      );
    }
    case 'tight-crop': {
      // Cropped to its strokes, as other data sets' digits are (scaled to fill their box): small
      // and soft from scaling, dark on light; every other one a canvas drawn to its edges; one in
      // four a phone photo of the digit on paper, cropped to it (JPEG, paper grain, a ballpoint).
      const [left, top, width, height] = strokeBox(digit);
      if (index % 4 === 2) {
        const size = Math.round(between(random, 260, 640)); // the paper grain tile is 256 wide
        const photo = await photoOfDigit(
          digit,
          { width: size, height: size },
          { size, left: 0, top: 0 },
          { colour: pick(random, BALLPOINT), pen: between(random, 0.035, 0.07), blur: 1 },
          { tint: WHITE, falloff: between(random, 0.85, 1), shadow: 0 },
          random,
        );
        const scale = size / 28;
        const box = {
          left: Math.floor(left * scale),
          top: Math.floor(top * scale),
          width: Math.ceil(width * scale),
          height: Math.ceil(height * scale),
        };
        return jpeg(await sharp(photo).extract(box).jpeg({ quality: 85 }).toBuffer());
      }
      const crop = Buffer.alloc(width * height);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) crop[y * width + x] = digit[(top + y) * 28 + left + x];
      const canvas = index % 2 === 1;
      const long = canvas ? 200 : Math.round(between(random, 16, 48));
      const scaled = await sharp(crop, { raw: { width, height, channels: 1 } })
        .resize({ width: long, height: long, fit: 'inside', kernel: 'cubic' })
        .extractChannel(0)
        .raw()
        .toBuffer({ resolveWithObject: true });
      const { width: w, height: h } = scaled.info;
      if (!canvas) {
        const paper = Buffer.from(scaled.data.map((v) => 255 - v));
        return png(
          await sharp(paper, { raw: { width: w, height: h, channels: 1 } })
            .png()
            .toBuffer(),
        );
      }
      const rgba = Buffer.alloc(w * h * 4);
      for (let i = 0; i < w * h; i++) rgba.set([40, 40, 160, scaled.data[i]], i * 4);
      return png(
        await sharp(rgba, { raw: { width: w, height: h, channels: 4 } })
          .png()
          .toBuffer(),
      );
    }
    case 'dark': {
      // Light on dark, small and off-centre.
      const coverage = await inkCoverage(digit, 56, { level: 0.35, blur: 0.6 });
      const canvas = Buffer.alloc(160 * 120 * 3, 12);
      for (let y = 0; y < 56; y++)
        for (let x = 0; x < 56; x++)
          for (let c = 0; c < 3; c++)
            canvas[((y + 40) * 160 + x + 90) * 3 + c] = Math.max(12, coverage[y * 56 + x]);
      return png(
        await sharp(canvas, { raw: { width: 160, height: 120, channels: 3 } })
          .png()
          .toBuffer(),
      );
    }
    case 'uneven-ruled':
    case 'uneven-squared': {
      // Room light: brightness falling off across the sheet, a soft shadow band, lined paper.
      const frame = { width: 2400, height: 1800 };
      const size = Math.round(frame.height * between(random, 0.22, 0.4));
      return jpeg(
        await photoOfDigit(
          digit,
          frame,
          {
            size,
            left: Math.round(between(random, 0.1, 0.9) * (frame.width - size)),
            top: Math.round(between(random, 0.1, 0.9) * (frame.height - size)),
          },
          { colour: pick(random, BALLPOINT), pen: between(random, 0.025, 0.06), blur: 2 },
          {
            tint: WHITE,
            falloff: between(random, 0.35, 0.75),
            shadow: between(random, 0.2, 0.6),
            lines: kind === 'uneven-ruled' ? 'ruled' : 'squared',
            lineColour: pick(random, [
              [120, 160, 220],
              [170, 170, 170],
              [130, 190, 160],
            ] as Rgb[]),
          },
          random,
        ),
      );
    }
    case 'coloured-ink': {
      const frame = { width: 1600, height: 1200 };
      const size = Math.round(frame.height * between(random, 0.3, 0.6));
      return jpeg(
        await photoOfDigit(
          digit,
          frame,
          {
            size,
            left: Math.round(random() * (frame.width - size)),
            top: Math.round(random() * (frame.height - size)),
          },
          {
            colour: pick(random, [
              [40, 60, 200],
              [200, 40, 40],
              [30, 140, 60],
              [120, 40, 150],
            ] as Rgb[]),
            blur: 2,
          },
          {
            tint: pick(random, [
              [245, 240, 200],
              [250, 225, 230],
              [220, 240, 225],
              [236, 234, 228],
            ] as Rgb[]),
            falloff: 0.85,
            shadow: 0,
          },
          random,
        ),
      );
    }
    case 'soft-drawing': {
      // A drawing-pad export with soft, blurred strokes of any colour on a transparent canvas.
      const size = 400;
      const coverage = await inkCoverage(digit, size, {
        level: between(random, 0.3, 0.5),
        blur: between(random, 3, 9),
      });
      const colour = pick(random, [
        [0, 0, 0],
        [30, 60, 200],
        [200, 30, 30],
        [255, 255, 255],
      ] as Rgb[]);
      const opacity = between(random, 0.6, 1);
      const rgba = Buffer.alloc(size * size * 4);
      for (let i = 0; i < coverage.length; i++) {
        rgba.set(colour, i * 4);
        rgba[i * 4 + 3] = Math.round(coverage[i] * opacity);
      }
      return png(
        await sharp(rgba, { raw: { width: size, height: size, channels: 4 } })
          .png()
          .toBuffer(),
      );
    }
    case 'thick-pen':
    case 'thin-pen': {
      // A felt-tip (MNIST's shapes cut low: thicker than any MNIST pen) or a fine liner (a
      // pen a fiftieth to a thirtieth of the digit's height).
      const frame = { width: 1200, height: 900 };
      const size = Math.round(frame.height * between(random, 0.4, 0.7));
      return jpeg(
        await photoOfDigit(
          digit,
          frame,
          {
            size,
            left: Math.round(random() * (frame.width - size)),
            top: Math.round(random() * (frame.height - size)),
          },
          kind === 'thick-pen'
            ? { colour: [20, 20, 25], level: between(random, 0.1, 0.18), blur: 1.5 }
            : { colour: pick(random, BALLPOINT), pen: between(random, 0.014, 0.025), blur: 1 },
          { tint: WHITE, falloff: 0.9, shadow: 0 },
          random,
        ),
      );
    }
    case 'far-away': {
      // A page photographed from afar: the digit fills 5-8% of a 12 MP frame's height, a dozen
      // pixels once the photo is shrunk to the size the digit is looked for at.
      const size = Math.round(big.height * between(random, 0.05, 0.08));
      return jpeg(
        await photoOfDigit(
          digit,
          big,
          {
            size,
            left: Math.round(between(random, 0.05, 0.95) * (big.width - size)),
            top: Math.round(between(random, 0.05, 0.95) * (big.height - size)),
          },
          { colour: pick(random, BALLPOINT), pen: between(random, 0.05, 0.09), blur: 2 },
          { tint: WHITE, falloff: between(random, 0.6, 0.9), shadow: 0 },
          random,
        ),
      );
    }
    case 'small-off-centre': {
      // A 12 MP frame in which the digit fills only 15% of the height, away from the centre.
      const size = Math.round(big.height * 0.15);
      const corner = { x: random() < 0.5 ? 0.1 : 0.75, y: random() < 0.5 ? 0.1 : 0.7 };
      return jpeg(
        await photoOfDigit(
          digit,
          big,
          {
            size,
            left: Math.round(big.width * corner.x + random() * size),
            top: Math.round(big.height * corner.y + random() * size * 0.5),
          },
          { colour: pick(random, BALLPOINT), pen: between(random, 0.04, 0.08), blur: 2 },
          { tint: WHITE, falloff: 0.8, shadow: 0 },
          random,
        ),
      );
    }
  }
}

/** Printed digits, as on a form or a screen. */
export async function printedDigit(digit: number, weight: 'normal' | 'bold'): Promise<Picture> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240"><rect width="240" height="240" fill="white"/><text x="120" y="180" font-family="DejaVu Sans" font-weight="${weight}" font-size="170" text-anchor="middle" fill="#202020">${digit}</text></svg>`;
  return {
    kind: 'printed',
    extension: 'png',
    bytes: await sharp(Buffer.from(svg)).png().toBuffer(),
  };
}

/**
 * Handwriting typefaces from Debian's font packages (`debianPackages`): hands no model here
 * trained on, drawn by their designers (script, felt-tip, marker, brush, school cursive, several
 * people's own hands), so a way to see how the readers do on handwriting unlike MNIST's.
 * Outline-only typefaces are left out: nobody writes a digit as its outline.
 */
export const HANDWRITING_TYPEFACES = {
  families: [
    'Because We Build',
    'Because We Connect',
    'Because We Create',
    'Because We Learn',
    'Because We Mentor',
    'Because We Organize',
    'Comic Neue',
    'Dancing Script',
    'Kaushan Script',
    'Breip',
    'Cabin Sketch',
    'Ecolier_court',
    'DkgHandwriting',
    'Humor Sans',
    'Klee One',
    'Kristi',
    'Leckerli One',
    'Rufscript',
    'SetoFont',
    'Delphine',
    'Steve',
    'YOzAb',
  ],
  debianPackages: [
    'fonts-bwht',
    'fonts-comic-neue',
    'fonts-dancingscript',
    'fonts-kaushanscript',
    'fonts-breip',
    'fonts-cabinsketch',
    'fonts-ecolier-court',
    'fonts-dkg-handwriting',
    'fonts-humor-sans',
    'fonts-klee',
    'fonts-kristi',
    'fonts-leckerli-one',
    'fonts-rufscript',
    'fonts-seto',
    'fonts-sjfonts',
    'fonts-yozvox-yozfont',
  ],
} as const;

/**
 * A digit in one of the handwriting typefaces, slanted up to 8 degrees either way and written
 * with a pen up to a few pixels broader than the typeface's own: on white paper (PNG), on a
 * transparent canvas (PNG), or photographed on grey-beige paper in blue ink (600 px, soft, JPEG),
 * by `index`.
 */
export async function handwrittenTypefaceDigit(
  digit: number,
  family: string,
  index: number,
): Promise<Picture> {
  const random = seedrandom(`other-hands-${family}-${digit}-${index}`);
  const look = (['paper', 'canvas', 'photo'] as const)[index % 3];
  const size = 240;
  const rotation = between(random, -8, 8).toFixed(1);
  const pen = look === 'canvas' ? 0 : between(random, 0, 6);
  const ink = look === 'photo' ? '#1a2a80' : '#181818';
  const text = `<text x="${size / 2}" y="${size * 0.75}" font-family="${family}" font-size="${size * 0.7}" text-anchor="middle" fill="${ink}" stroke="${ink}" stroke-width="${pen.toFixed(1)}" transform="rotate(${rotation} ${size / 2} ${size / 2})">${digit}</text>`;
  const background =
    look === 'canvas'
      ? ''
      : `<rect width="100%" height="100%" fill="${look === 'photo' ? '#dcd8cc' : 'white'}"/>`;
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">${background}${text}</svg>`,
  );
  const bytes =
    look === 'photo'
      ? await sharp(svg).resize(600, 600).blur(1.2).jpeg({ quality: 80 }).toBuffer()
      : await sharp(svg).png().toBuffer();
  return { kind: 'other-hands', extension: look === 'photo' ? 'jpg' : 'png', bytes };
}
