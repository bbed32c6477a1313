import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/**
 * Charts are Vega-Lite specs rendered headless: Vega draws SVG (no canvas, no browser) and
 * resvg rasterises it with the DejaVu fonts shipped in an npm package, so text renders the same
 * in a slim container with no system fonts.
 */
const fontFolder = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT = 'DejaVu Sans';

export const CHART_CONFIG = {
  font: FONT,
  background: 'white',
  axis: { labelFontSize: 12, titleFontSize: 13, grid: true },
  legend: { labelFontSize: 12, labelLimit: 0 },
  title: { fontSize: 15 },
} as const;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vegaLite.compile({
    ...spec,
    config: { ...CHART_CONFIG, ...(spec.config ?? {}) },
  } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders a Vega-Lite spec to PNG bytes at `scale` times its CSS pixel size. */
export async function renderPng(spec: TopLevelSpec, scale = 2): Promise<Buffer> {
  const svg = await renderSvg(spec);
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: {
      loadSystemFonts: false,
      fontFiles: [join(fontFolder, 'DejaVuSans.ttf'), join(fontFolder, 'DejaVuSans-Bold.ttf')],
      defaultFontFamily: FONT,
      sansSerifFamily: FONT,
    },
  });
  return resvg.render().asPng();
}
