/** Writing plots and the HTML report to disk: the side-effecting edge of the report package. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { StudyTrials } from '../domain/records.ts';
import type { Storage } from '../storage/storage.ts';
import { renderReport } from './html.ts';
import { plotSpecs, renderPlots, type NamedPlot } from './plots.ts';
import { svgToPng } from './render.ts';
import { loadStudies, type ReportError } from './study-trials.ts';

export type WriteResult = { ok: true; files: string[] } | { ok: false; error: ReportError };

const plotsOf = (storage: Storage, studies: readonly StudyTrials[]): NamedPlot[] => plotSpecs(studies, (id, n) => storage.histogram(id, n));

/** Writes `<name>.svg` and `<name>.png` for every plot into outDir; returns the paths written. */
export async function writeNamedPlots(plots: readonly NamedPlot[], outDir: string): Promise<string[]> {
  const rendered = await renderPlots(plots);
  mkdirSync(outDir, { recursive: true });
  return rendered.flatMap((plot) => {
    const svgPath = join(outDir, `${plot.name}.svg`);
    const pngPath = join(outDir, `${plot.name}.png`);
    writeFileSync(svgPath, plot.svg);
    writeFileSync(pngPath, svgToPng(plot.svg));
    return [svgPath, pngPath];
  });
}

/** Writes the SVG and PNG of every plot of the stored studies into outDir. */
export async function writePlots(storage: Storage, studyIds: readonly string[], outDir: string): Promise<WriteResult> {
  const loaded = loadStudies(storage, studyIds);
  if (!loaded.ok) return loaded;
  return { ok: true, files: await writeNamedPlots(plotsOf(storage, loaded.studies), outDir) };
}

/** vega's minified browser build, from the installed package: what the report inlines to draw its live charts. */
export function vegaRuntime(): string {
  return readFileSync(createRequire(import.meta.url).resolve('vega/build/vega.min.js'), 'utf8');
}

/** Writes the self-contained HTML report of the studies to outFile. */
export async function writeReport(
  storage: Storage,
  studyIds: readonly string[],
  outFile: string,
  now: () => Date = () => new Date(),
  extraSections: (studies: readonly StudyTrials[]) => readonly string[] = () => [],
): Promise<WriteResult> {
  const loaded = loadStudies(storage, studyIds);
  if (!loaded.ok) return loaded;
  const plots = await renderPlots(plotsOf(storage, loaded.studies));
  const html = renderReport({ studies: loaded.studies, plots, generatedAt: now().toISOString(), extraSections: extraSections(loaded.studies), vegaRuntime: vegaRuntime() });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, html);
  return { ok: true, files: [outFile] };
}
