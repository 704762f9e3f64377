/** Writes named plots as SVG and PNG (the side-effecting edge of the sweep), with the report's renderer. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPlots, type NamedPlot } from '../report/plots.ts';
import { svgToPng } from '../report/render.ts';

export async function writeNamedPlots(plots: readonly NamedPlot[], outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const rendered = await renderPlots(plots);
  return rendered.flatMap((plot) => {
    const svgPath = join(outDir, `${plot.name}.svg`);
    const pngPath = join(outDir, `${plot.name}.png`);
    writeFileSync(svgPath, plot.svg);
    writeFileSync(pngPath, svgToPng(plot.svg));
    return [svgPath, pngPath];
  });
}
