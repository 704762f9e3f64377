/**
 * What every search strategy implements: given the space and what has been tried so far, propose the next
 * configuration. Samplers only ever propose feasible configurations (every constraint holds).
 */
import type { Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import { configurationKey, encode, type SearchSpace } from '../space/space.ts';

/**
 * One past trial. `value` is lower-is-better; `failed` says why the configuration could not be measured.
 * Neither set means the trial is still running (pending): never proposed again, but not yet learned from.
 */
export interface Observation {
  params: Params;
  value?: number;
  /** Every objective's value (lower is better) when a study minimises several; `value` is then their scalarization, if any. */
  values?: readonly number[];
  /** Variance of the measurement noise on `value`, in its units squared, where the measurement knows it. */
  noiseVariance?: number;
  /** The context the trial ran in (a load level, say) as unit-cube coordinates the sampler conditions on. */
  context?: readonly number[];
  failed?: string;
}

/** What a proposal would cost in wall-clock time, for samplers that weigh improvement against it. */
export interface ProposalCost {
  /** Predicted seconds to deploy and measure `params` from what is deployed now. */
  seconds(params: Params): number;
  /** The configuration deployed now, if any: cheap moves are near it, so the search starts climbs from it too. */
  deployed?: Params;
}

export interface Sampler {
  readonly name: string;
  /**
   * `context`: the coordinates of the context the proposal is for (same length as the observations'). A sampler
   * that models context learns from trials in every context; the others ignore it. `cost`: what each proposal
   * would take to run; GP-EI weighs its expected improvement against it, the others ignore it.
   */
  suggest(space: SearchSpace, history: readonly Observation[], rng: Rng, context?: readonly number[], cost?: ProposalCost): Params;
}

export type Outcome = 'complete' | 'failed' | 'pending';

/** A NaN or infinite value counts as a failure: nothing can be learned from its magnitude. */
export function outcomeOf(observation: Observation): Outcome {
  if (observation.failed !== undefined) return 'failed';
  if (observation.value === undefined) return 'pending';
  return Number.isFinite(observation.value) ? 'complete' : 'failed';
}

export function completed(history: readonly Observation[]): (Observation & { value: number })[] {
  return history.filter((o): o is Observation & { value: number } => outcomeOf(o) === 'complete');
}

/** Keys of every configuration tried or running, to avoid proposing one twice. */
export function triedKeys(space: SearchSpace, history: readonly Observation[]): Set<string> {
  return new Set(history.map((o) => configurationKey(space, o.params)));
}

/** A configuration, in a context when the model has one. */
export interface ModelPoint {
  params: Params;
  context?: readonly number[];
}

/** A GP's input for a configuration: its encoded configuration, then its context coordinates. */
export function modelInput(space: SearchSpace, point: ModelPoint): number[] {
  return [...encode(space, point.params), ...(point.context ?? [])];
}

/** Whether an observation's context is the one asked about (coordinates equal to rounding). */
export function sameContext(a: readonly number[] | undefined, b: readonly number[]): boolean {
  return a !== undefined && a.length === b.length && a.every((v, i) => Math.abs(v - (b[i] as number)) < 1e-9);
}
