/** Builds a sampler from the strategy name a user picks (`--strategy bo|random|grid|lhs`). */
import { GpEiSampler } from './gp-ei.ts';
import { DEFAULT_GRID_LEVELS, GridSampler } from './grid.ts';
import { LhsSampler } from './lhs.ts';
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
}

export function createSampler(name: SamplerName | string, options: SamplerOptions = {}): Sampler {
  switch (name) {
    case 'bo':
      return new GpEiSampler({ budget: options.budget, initialTrials: options.initialTrials, seed: options.seed });
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
