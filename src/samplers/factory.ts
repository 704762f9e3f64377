/**
 * Builds a sampler from the strategy name a user picks (`--strategy bo|random|grid|lhs`). With several
 * objectives `bo` is ParEGO over GP-EI; the other strategies never look at values, so they stay as they are.
 */
import { GpEiSampler } from './gp-ei.ts';
import { DEFAULT_GRID_LEVELS, GridSampler } from './grid.ts';
import { LhsSampler } from './lhs.ts';
import { ParEgoSampler } from './parego.ts';
import { RandomSampler } from './random.ts';
import type { Sampler } from './sampler.ts';
import { SamplerError } from './sampler-error.ts';

export const SAMPLER_NAMES = ['bo', 'random', 'grid', 'lhs'] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

export interface SamplerOptions {
  /** The study's trial budget: sizes the GP's initial design and the Latin hypercube. */
  budget?: number;
  /** The study's seed: fixes the Latin hypercube designs (LHS, and the GP sampler's initial design). */
  seed?: number;
  /** GP sampler: space-filling trials before the model takes over. */
  initialTrials?: number;
  /** Grid sampler: values per numeric parameter. */
  gridLevels?: number;
  /** How many objectives the study minimises at once (default 1); each observation then carries that many values. */
  objectives?: number;
}

export function createSampler(name: SamplerName | string, options: SamplerOptions = {}): Sampler {
  switch (name) {
    case 'bo': {
      const gpEi = new GpEiSampler({ budget: options.budget, initialTrials: options.initialTrials, seed: options.seed });
      return (options.objectives ?? 1) > 1 ? new ParEgoSampler(gpEi, options.objectives as number) : gpEi;
    }
    case 'random':
      return new RandomSampler();
    case 'grid':
      return new GridSampler(options.gridLevels ?? DEFAULT_GRID_LEVELS);
    case 'lhs':
      return new LhsSampler({ size: options.budget, seed: options.seed });
    default:
      throw new SamplerError('unknown_sampler', `unknown strategy "${name}" (known: ${SAMPLER_NAMES.join(', ')})`);
  }
}
