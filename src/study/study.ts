/**
 * The ask/tell Study: hands out configurations to try and learns from their results. It does no I/O of its
 * own: it sits on a TrialStore (a Storage's rows, or memory), as Optuna's Study sits on its Storage, so the
 * trials it proposes from are the records the loop stores. Resuming a study is constructing it again on the
 * same storage.
 *
 *   const study = new Study({ space, sampler: createSampler('bo', { budget: 30 }), seed: 1 });
 *   for (let i = 0; i < 30; i++) {
 *     const { number, params } = study.ask();
 *     study.tell(number, objective(params));
 *   }
 *   study.best(); // { number, params, value }
 *
 * A resumed study proposes exactly what an uninterrupted one would have: the sampler sees only measured
 * attempts (and trials still running), never interrupted or infrastructure-failed rows, and each attempt draws
 * from a random stream named by its attempt index rather than by its row number.
 */
import type { TrialOutcome, TrialRecord } from '../domain/records.ts';
import type { PosteriorBest } from '../domain/summary.ts';
import { baselineTrial, bestTrial, isMeasuredAttempt, isSearchTrial, measurementVariance, nextTrialNumber, trialValue, trialValues } from '../domain/trials.ts';
import type { Objective } from '../domain/vocabulary.ts';
import { createRng, type Rng } from '../random/rng.ts';
import { bestEstimate, rankByEstimate } from '../samplers/best-estimate.ts';
import type { Observation, ProposalCost, Sampler } from '../samplers/sampler.ts';
import type { Params } from '../space/params.ts';
import { configurationKey, defaults, type SearchSpace } from '../space/space.ts';
import { memoryTrials, type TrialStore } from './trial-store.ts';

export interface StudyOptions {
  space: SearchSpace;
  sampler: Sampler;
  seed: number;
  /** Where the trials live; default: in memory. Pass a stored study's trials to continue it. */
  trials?: TrialStore;
  /** The first measured trial runs every parameter's default (the baseline). Default true. */
  baselineFirst?: boolean;
  /** Where this study's trials run among studies sharing one model (a sweep's load levels); default: alone. */
  context?: StudyContext;
  /**
   * A study minimising several objectives at once: each observation also carries the trial's value on every one
   * of them, read from its metrics (see trialValues), for a multi-objective sampler. Default: one objective.
   */
  objectives?: readonly Objective[];
}

/**
 * A study that shares its sampler's model with studies run in other contexts: its trials are learned from with
 * `coordinates` as their context, together with `others`, and every proposal is for `coordinates`.
 */
export interface StudyContext {
  /** This study's context as unit-cube coordinates (see load-context.ts for a load level). */
  coordinates: readonly number[];
  /** The other studies' measured attempts, each with its own `context`; read at each proposal. */
  others: () => readonly Observation[];
}

/** A value (lower is better), a failure, or a whole outcome (what the study loop tells). */
export type TellResult = number | { failed: string } | TrialOutcome;

export class StudyTrialError extends Error {
  override readonly name = 'StudyTrialError';
  constructor(
    readonly code: 'unknown_trial' | 'already_told',
    message: string,
  ) {
    super(message);
  }
}

export class Study {
  readonly space: SearchSpace;
  private readonly sampler: Sampler;
  private readonly rng: Rng;
  private readonly baselineFirst: boolean;
  private readonly store: TrialStore;
  private readonly context: StudyContext | undefined;
  private readonly objectives: readonly Objective[] | undefined;

  constructor(options: StudyOptions) {
    this.space = options.space;
    this.sampler = options.sampler;
    this.rng = createRng(options.seed);
    this.baselineFirst = options.baselineFirst ?? true;
    this.store = options.trials ?? memoryTrials();
    this.context = options.context;
    this.objectives = options.objectives !== undefined && options.objectives.length > 1 ? [...options.objectives] : undefined;
  }

  /** True when the next trial asked for is the baseline. */
  nextIsBaseline(): boolean {
    return this.baselineNext(this.store.trials());
  }

  /**
   * The next configuration to try, recorded as a running trial. `cost`: what each candidate would cost from what
   * is deployed now, for a sampler that weighs it (cost-aware GP-EI); the others ignore it.
   */
  ask(cost?: ProposalCost): { number: number; params: Params } {
    const trials = this.store.trials();
    const number = nextTrialNumber(trials);
    const params = this.baselineNext(trials) ? defaults(this.space) : this.propose(trials, cost);
    this.store.start(number, params);
    return { number, params };
  }

  /**
   * Up to `count` complete search trials to confirm, one per distinct configuration, by the GP posterior estimate
   * of their value (best first: the first is what posteriorBest names); by measured value below three complete.
   */
  contenders(count: number): number[] {
    const { numbers, observations } = this.history(this.store.trials().filter((t) => t.state !== 'running'));
    const seen = new Set<string>();
    const chosen: number[] = [];
    for (const { index, params } of rankByEstimate(this.space, observations)) {
      const key = configurationKey(this.space, params);
      if (seen.has(key)) continue;
      seen.add(key);
      chosen.push(numbers[index] as number);
      if (chosen.length === count) break;
    }
    return chosen;
  }

  /** Records a running confirmation trial: search trial `confirms`'s configuration, measured again in `round`. */
  askConfirmation(confirms: number, round: number): { number: number; params: Params } {
    const trials = this.store.trials();
    const original = trials.find((t) => t.number === confirms);
    if (original === undefined) throw new StudyTrialError('unknown_trial', `trial ${confirms} was never asked for`);
    const number = nextTrialNumber(trials);
    this.store.start(number, original.params, { confirms, round });
    return { number, params: original.params };
  }

  /** Records a running trial's result; NaN and infinite values count as failures. */
  tell(number: number, result: TellResult): void {
    const trial = this.store.trials().find((t) => t.number === number);
    if (trial === undefined) throw new StudyTrialError('unknown_trial', `trial ${number} was never asked for`);
    if (trial.state !== 'running') throw new StudyTrialError('already_told', `trial ${number} already has a result`);
    this.store.finish(number, outcomeOf(result));
  }

  /** The completed trial with the lowest value (ties: the earlier trial). */
  best(): { number: number; params: Params; value: number } | undefined {
    const best = bestTrial(this.store.trials());
    const value = best && trialValue(best);
    return best && value !== undefined ? { number: best.number, params: best.params, value } : undefined;
  }

  /**
   * The complete trial the sampler's GP believes best once measurement noise is averaged out; in a context, the
   * best of this study's trials by a model of every context's trials.
   */
  posteriorBest(): PosteriorBest | undefined {
    const { numbers, observations } = this.history(this.store.trials());
    const best = bestEstimate(this.space, this.withOthers(observations), this.context?.coordinates);
    return best && { number: numbers[best.index]!, estimate: best.estimatedValue };
  }

  /** Every trial so far, in number order. */
  trials(): TrialRecord[] {
    return this.store.trials();
  }

  private baselineNext(trials: readonly TrialRecord[]): boolean {
    return this.baselineFirst && baselineTrial(trials) === undefined && !trials.some((t) => t.state === 'running');
  }

  private propose(trials: readonly TrialRecord[], cost: ProposalCost | undefined): Params {
    const { observations } = this.history(trials);
    // Named by this study's own attempts: the others' progress must not change which stream a resumed attempt draws.
    const rng = this.rng.fork(`attempt-${observations.length}`);
    return this.sampler.suggest(this.space, this.withOthers(observations), rng, this.context?.coordinates, cost);
  }

  /** This study's observations first (in their context), then the other contexts' when the model is shared. */
  private withOthers(observations: Observation[]): Observation[] {
    if (this.context === undefined) return observations;
    const { coordinates, others } = this.context;
    return [...observations.map((o) => ({ ...o, context: coordinates })), ...others()];
  }

  /** What the sampler learns from: measured attempts as values or failures, running trials as pending. */
  private history(trials: readonly TrialRecord[]): { numbers: number[]; observations: Observation[] } {
    const kept = trials.filter((t) => isSearchTrial(t) && (t.state === 'running' || isMeasuredAttempt(t)));
    return { numbers: kept.map((t) => t.number), observations: kept.map((t) => observationOf(t, this.objectives)) };
  }
}

/** What a sampler learns from a study's trials: its measured attempts, as values or failures. */
export function measuredObservations(trials: readonly TrialRecord[]): Observation[] {
  return trials.filter(isMeasuredAttempt).map((trial) => observationOf(trial));
}

/** `objectives`: those of a study minimising several, whose values each complete observation carries. */
function observationOf(trial: TrialRecord, objectives?: readonly Objective[]): Observation {
  if (trial.state === 'running') return { params: trial.params };
  const value = trialValue(trial);
  if (value === undefined) return { params: trial.params, failed: trial.failureKind ?? 'failed' };
  if (objectives !== undefined) {
    const values = trialValues(trial, objectives);
    return values === undefined ? { params: trial.params, failed: 'objective_not_finite' } : { params: trial.params, value, values };
  }
  const noiseVariance = measurementVariance(trial);
  return noiseVariance === undefined ? { params: trial.params, value } : { params: trial.params, value, noiseVariance };
}

function outcomeOf(result: TellResult): TrialOutcome {
  if (typeof result !== 'number' && 'state' in result) return result;
  if (typeof result !== 'number') return { state: 'failed', failureKind: 'reported', failureMessage: result.failed };
  if (!Number.isFinite(result)) return { state: 'failed', failureKind: 'reported', failureMessage: `the value ${result} is not finite` };
  return { state: 'complete', objectiveValue: result };
}
