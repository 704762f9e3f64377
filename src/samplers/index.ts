/** The samplers module's public surface. */
export type { Observation, Outcome, Sampler } from './sampler.ts';
export { outcomeOf } from './sampler.ts';
export { createSampler, SAMPLER_NAMES, type SamplerName, type SamplerOptions } from './factory.ts';
export { bestEstimate, type BestEstimate } from './best-estimate.ts';
export { gridSize } from './grid.ts';
export { SamplerError } from './sampler-error.ts';
