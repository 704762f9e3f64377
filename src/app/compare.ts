/**
 * `tune compare random bo`: one study per strategy and seed, all with the same model, concurrency and budget
 * (run, resumed or reused by name), then how the strategies compare and the convergence plot.
 */
import { compareStrategies, type Comparison } from '../dse/compare.ts';
import { writePlots } from '../report/files.ts';
import { createRng } from '../random/rng.ts';
import type { SamplerName } from '../samplers/factory.ts';
import { studyName } from '../study/study-name.ts';
import { ensureStudy, loadedStudies, newStudyArgs, type CampaignStudyOptions } from './campaign.ts';
import { TuneError } from './errors.ts';
import type { RunHooks } from './run-study.ts';
import { openStorage, withStorage } from './storage.ts';

export interface CompareCampaign extends CampaignStudyOptions {
  strategies: readonly SamplerName[];
  concurrency: number;
  seeds: readonly number[];
  out: string;
}

export interface CompareOutcome {
  studies: string[];
  comparison: Comparison;
  files: string[];
}

export async function compareStudies(request: CompareCampaign, hooks: RunHooks): Promise<CompareOutcome> {
  return withStorage(openStorage(request.db), async (storage) => {
    const campaign = { db: request.db, run: request.run, hooks };
    const studies: string[] = [];
    for (const strategy of request.strategies) {
      for (const seed of request.seeds) {
        const { model, concurrency, budget, objective } = request;
        const name = studyName({ model, strategy, concurrency, budget, seed, objective });
        await ensureStudy({ ...newStudyArgs(request), concurrency, strategy, seed, name }, {}, storage, campaign);
        studies.push(name);
      }
    }
    const comparison = compareStrategies(loadedStudies(storage, studies), { random: rngSource(request.seeds), metric: request.objective });
    const plots = await writePlots(storage, studies, request.out);
    if (!plots.ok) throw new TuneError(plots.error.code, plots.error.message);
    return { studies, comparison, files: plots.files };
  });
}

/** The permutation test's randomness, seeded from the seeds compared, so a comparison gives the same p-value twice. */
function rngSource(seeds: readonly number[]): () => number {
  const rng = createRng(`compare:${seeds.join(',')}`);
  return () => rng.next();
}
