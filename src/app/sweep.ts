/**
 * `tune sweep`: one study per client-concurrency level and strategy (run, resumed or reused by name), then per
 * level the best mean latency per strategy and BO's gain over random, the configuration to run (the optimizer's
 * posterior best) and the loads at which it changes, the Pareto-optimal configurations, the SLO saving when an
 * SLO is given, and the sweep's plots.
 *
 * BO's studies share one Gaussian process over (configuration, load): each level's sampler learns from every
 * level's measured trials, with the load as a context it conditions on but does not choose (src/study/
 * shared-model.ts). They take turns, a trial each per round, so every proposal sees the other levels' latest.
 */
import { paretoListings, type ParetoListing } from '../dse/pareto.ts';
import { measuredConfigs, sloSaving, type SloSaving } from '../dse/slo.ts';
import { loadChanges, picksAcrossLoadPlot, type LevelPick, type LoadChange, type PredictAtLoad } from '../dse/load-changes.ts';
import { sweepPlan, sweepPlots, sweepResults, type LevelResult, type PlannedStudy } from '../dse/sweep.ts';
import type { StudyTrials } from '../domain/records.ts';
import { trialValue } from '../domain/trials.ts';
import { fitValueModel } from '../samplers/best-estimate.ts';
import { loadContext, loadRange } from '../study/load-context.ts';
import { sharedContext, sharedObservations, type ContextMember } from '../study/shared-model.ts';
import { writeNamedPlots } from '../report/files.ts';
import type { SamplerName } from '../samplers/factory.ts';
import type { Storage } from '../storage/storage.ts';
import { modelSlug } from '../study/study-name.ts';
import { ensureStudy, loadedStudies, newStudyArgs, type CampaignRun, type CampaignStudyOptions } from './campaign.ts';
import { posteriorBest, storedSpaceOf } from './inspect.ts';
import type { RunHooks } from './run-study.ts';
import { openStorage, withStorage } from './storage.ts';

export interface SweepCampaign extends CampaignStudyOptions {
  concurrency: readonly number[];
  strategies: readonly SamplerName[];
  seed: number;
  /** Directory for the plots; default reports/sweep-<model>. */
  out?: string;
  /** Each level's BO study learns from its own trials only (the sweep before the shared model, for comparison). */
  independentLevels?: boolean;
}

export interface SloSection {
  concurrency: number;
  saving?: SloSaving;
}

export interface SweepOutcome {
  studies: PlannedStudy[];
  levels: LevelResult[];
  /** Per level, the configuration to run: BO's posterior best (by the shared model), else the best measured. */
  picks: LevelPick[];
  /** Between consecutive levels whose picks differ; with the shared model's crossover where it places one. */
  changes: LoadChange[];
  pareto: ParetoListing[];
  slo: SloSection[];
  files: string[];
}

export async function sweepStudies(request: SweepCampaign, hooks: RunHooks): Promise<SweepOutcome> {
  return withStorage(openStorage(request.db), async (storage) => {
    const { model, seed, budget, objective } = request;
    const plan = sweepPlan({ model, levels: request.concurrency, strategies: request.strategies, seed, budget, objective, sharedModel: !request.independentLevels });
    const campaign: CampaignRun = { db: request.db, run: request.run, hooks };
    const argsOf = (planned: PlannedStudy) => ({ ...newStudyArgs(request), concurrency: planned.concurrency, strategy: planned.strategy as SamplerName, seed, name: planned.studyId });
    for (const planned of plan.filter((p) => p.context === undefined)) await ensureStudy(argsOf(planned), {}, storage, campaign);
    const shared = sharedMembers(storage, plan);
    // Round r tops every shared study up to r measured attempts: a resumed sweep replays the uninterrupted order.
    const rounds = campaign.run ? Array.from({ length: budget }, (_, i) => i + 1) : [budget];
    for (const round of rounds) {
      for (const member of shared) await ensureStudy(argsOf(member.planned), {}, storage, campaign, { context: sharedContext(shared, member), untilAttempts: round });
    }
    const studies = loadedStudies(storage, plan.map((p) => p.studyId));
    const levels = sweepResults(studies);
    const predict = sharedPredictor(storage, shared, request.concurrency);
    const picks = levelPicks(storage, plan, studies, shared);
    const plots = [...sweepPlots(model, studies, levels, (id, n) => storage.histogram(id, n)), ...(predict ? picksAcrossLoadPlot(model, picks, predict, objective) : [])];
    const files = await writeNamedPlots(plots, request.out ?? `reports/sweep-${modelSlug(model)}`);
    const slo = request.sloP99 === undefined ? [] : sloSections(storage, model, request.concurrency, request.sloP99);
    return { studies: plan, levels, picks, changes: loadChanges(picks, predict), pareto: paretoListings(studies), slo, files };
  });
}

/** A planned study sharing its model, with where its trials are read from. */
interface SharedMember extends ContextMember {
  planned: PlannedStudy;
}

function sharedMembers(storage: Storage, plan: readonly PlannedStudy[]): SharedMember[] {
  return plan.flatMap((planned) => (planned.context === undefined ? [] : [{ planned, context: planned.context, trials: () => storage.trials(planned.studyId) }]));
}

/** The shared model of every level's trials, predicting at any load; undefined without one (independent levels). */
function sharedPredictor(storage: Storage, shared: readonly SharedMember[], levels: readonly number[]): PredictAtLoad | undefined {
  const first = shared[0] && storage.getStudy(shared[0].planned.studyId);
  const space = first && storedSpaceOf(first);
  if (space === undefined) return undefined;
  const range = loadRange(levels);
  try {
    const model = fitValueModel(space, sharedObservations(shared));
    return model && ((points) => model.estimate(points.map(({ params, concurrency }) => ({ params, context: loadContext(concurrency, range) }))));
  } catch (error) {
    // Trials stored by an older space may lack a parameter: then there is no model to place crossovers with.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** Per level: BO's posterior best there (by the shared model when the levels share one), else the level's best measured trial. */
function levelPicks(storage: Storage, plan: readonly PlannedStudy[], studies: readonly StudyTrials[], shared: readonly SharedMember[]): LevelPick[] {
  const levels = [...new Set(plan.map((p) => p.concurrency))];
  return levels.flatMap((concurrency) => {
    const atLevel = studies.filter((s) => s.study.concurrency === concurrency);
    const bo = atLevel.find((s) => s.study.strategy === 'bo');
    const member = bo && shared.find((m) => m.planned.studyId === bo.study.id);
    const posterior = bo && posteriorBest(storage, bo.study, member && sharedContext(shared, member));
    const trial = posterior && bo.trials.find((t) => t.number === posterior.number);
    const measured = trial && trialValue(trial, bo.study.objective);
    if (bo && trial && measured !== undefined) return [{ concurrency, studyId: bo.study.id, trial: trial.number, params: trial.params, measured, estimate: posterior.estimate }];
    return bestMeasured(concurrency, atLevel);
  });
}

function bestMeasured(concurrency: number, studies: readonly StudyTrials[]): LevelPick[] {
  const measured = studies.flatMap(({ study, trials }) =>
    trials.flatMap((trial) => {
      const value = trialValue(trial, study.objective);
      return value === undefined ? [] : [{ concurrency, studyId: study.id, trial: trial.number, params: trial.params, measured: value }];
    }),
  );
  return measured.length === 0 ? [] : [measured.reduce((a, b) => (b.measured < a.measured ? b : a))];
}

/** Cheapest feasible against fastest, over every stored study of the model at each level (any objective). */
function sloSections(storage: Storage, model: string, levels: readonly number[], sloP99Ms: number): SloSection[] {
  return [...new Set(levels)].sort((a, b) => a - b).map((concurrency) => {
    const ids = storage.listStudies().filter((s) => s.model === model && s.concurrency === concurrency).map((s) => s.id);
    const saving = sloSaving(measuredConfigs(loadedStudies(storage, ids)), sloP99Ms);
    return saving ? { concurrency, saving } : { concurrency };
  });
}
