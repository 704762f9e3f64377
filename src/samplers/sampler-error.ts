/**
 * A sampler that cannot propose anything: the space admits no feasible configuration, the strategy is unknown,
 * or a multi-objective sampler was given trials without their objective values.
 */
export class SamplerError extends Error {
  override readonly name = 'SamplerError';
  constructor(
    readonly code: 'no_feasible_configuration' | 'unknown_sampler' | 'missing_objective_values',
    message: string,
  ) {
    super(message);
  }
}
