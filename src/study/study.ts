/**
 * The ask/tell library API: a study hands out configurations to try and learns from their results. It does
 * no I/O: the caller measures, stores, and (to resume) passes stored trials back in as `history`.
 *
 *   const study = new Study({ space, sampler: createSampler('bo', { budget: 30 }), seed: 1 });
 *   for (let i = 0; i < 30; i++) {
 *     const { number, params } = study.ask();
 *     study.tell(number, objective(params));
 *   }
 *   study.best(); // { number, params, value }
 */
import { createRng, type Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import { defaults, type SearchSpace } from '../space/space.ts';
import { outcomeOf, type Observation, type Sampler } from '../samplers/sampler.ts';

export interface StudyTrial extends Observation {
  number: number;
}

export interface StudyOptions {
  space: SearchSpace;
  sampler: Sampler;
  seed: number;
  /** Trials of an earlier run, to continue it; numbering continues after the highest. */
  history?: readonly StudyTrial[];
  /** Trial 0 runs every parameter's default (the baseline). Default true. */
  baselineFirst?: boolean;
}

export type TellResult = number | { failed: string };

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
  private readonly trials = new Map<number, StudyTrial>();

  constructor(options: StudyOptions) {
    this.space = options.space;
    this.sampler = options.sampler;
    this.rng = createRng(options.seed);
    this.baselineFirst = options.baselineFirst ?? true;
    for (const trial of options.history ?? []) this.trials.set(trial.number, { ...trial });
  }

  /** The next configuration to try. Each trial number draws from its own random stream, so resuming repeats. */
  ask(): { number: number; params: Params } {
    const number = this.trials.size === 0 ? 0 : Math.max(...this.trials.keys()) + 1;
    const params = number === 0 && this.baselineFirst ? defaults(this.space) : this.sampler.suggest(this.space, this.history(), this.rng.fork(`trial-${number}`));
    this.trials.set(number, { number, params });
    return { number, params };
  }

  /** Records a trial's value (lower is better) or its failure; NaN and infinite values count as failures. */
  tell(number: number, result: TellResult): void {
    const trial = this.trials.get(number);
    if (trial === undefined) throw new StudyTrialError('unknown_trial', `trial ${number} was never asked for`);
    if (outcomeOf(trial) !== 'pending') throw new StudyTrialError('already_told', `trial ${number} already has a result`);
    this.trials.set(number, typeof result === 'number' ? { ...trial, value: result } : { ...trial, failed: result.failed });
  }

  /** The completed trial with the lowest value (ties: the earlier trial). */
  best(): { number: number; params: Params; value: number } | undefined {
    let best: { number: number; params: Params; value: number } | undefined;
    for (const trial of this.history()) {
      if (outcomeOf(trial) !== 'complete') continue;
      const value = trial.value as number;
      if (best === undefined || value < best.value) best = { number: trial.number, params: trial.params, value };
    }
    return best;
  }

  /** Every trial so far, in number order. */
  history(): StudyTrial[] {
    return [...this.trials.values()].sort((a, b) => a.number - b.number);
  }
}
