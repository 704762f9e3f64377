/**
 * `tune sweep`: one study per client-concurrency level and strategy (run, resumed or reused by name), then per
 * level the best mean latency per strategy and BO's gain over random, the Pareto-optimal configurations, the
 * SLO saving when an SLO is given, and the sweep's plots.
 */
import { paretoListings, type ParetoListing } from '../dse/pareto.ts';
import { measuredConfigs, sloSaving, type SloSaving } from '../dse/slo.ts';
import { sweepPlan, sweepPlots, sweepResults, type LevelResult, type PlannedStudy } from '../dse/sweep.ts';
import { writeNamedPlots } from '../report/files.ts';
import type { SamplerName } from '../samplers/factory.ts';
import type { Storage } from '../storage/storage.ts';
import { modelSlug } from '../study/study-name.ts';
import { ensureStudy, loadedStudies, newStudyArgs, type CampaignStudyOptions } from './campaign.ts';
import type { RunHooks } from './run-study.ts';
import { openStorage, withStorage } from './storage.ts';

export interface SweepCampaign extends CampaignStudyOptions {
  concurrency: readonly number[];
  strategies: readonly SamplerName[];
  seed: number;
  /** Directory for the plots; default reports/sweep-<model>. */
  out?: string;
}

export interface SloSection {
  concurrency: number;
  saving?: SloSaving;
}

export interface SweepOutcome {
  studies: PlannedStudy[];
  levels: LevelResult[];
  pareto: ParetoListing[];
  slo: SloSection[];
  files: string[];
}

export async function sweepStudies(request: SweepCampaign, hooks: RunHooks): Promise<SweepOutcome> {
  return withStorage(openStorage(request.db), async (storage) => {
    const { model, seed, budget, objective } = request;
    const plan = sweepPlan({ model, levels: request.concurrency, strategies: request.strategies, seed, budget, objective });
    for (const planned of plan) {
      const args = { ...newStudyArgs(request), concurrency: planned.concurrency, strategy: planned.strategy as SamplerName, seed, name: planned.studyId };
      await ensureStudy(args, {}, storage, { db: request.db, run: request.run, hooks });
    }
    const studies = loadedStudies(storage, plan.map((p) => p.studyId));
    const levels = sweepResults(studies);
    const plots = sweepPlots(model, studies, levels, (id, n) => storage.histogram(id, n));
    const files = await writeNamedPlots(plots, request.out ?? `reports/sweep-${modelSlug(model)}`);
    const slo = request.sloP99 === undefined ? [] : sloSections(storage, model, request.concurrency, request.sloP99);
    return { studies: plan, levels, pareto: paretoListings(studies), slo, files };
  });
}

/** Cheapest feasible against fastest, over every stored study of the model at each level (any objective). */
function sloSections(storage: Storage, model: string, levels: readonly number[], sloP99Ms: number): SloSection[] {
  return [...new Set(levels)].sort((a, b) => a - b).map((concurrency) => {
    const ids = storage.listStudies().filter((s) => s.model === model && s.concurrency === concurrency).map((s) => s.id);
    const saving = sloSaving(measuredConfigs(loadedStudies(storage, ids)), sloP99Ms);
    return saving ? { concurrency, saving } : { concurrency };
  });
}
