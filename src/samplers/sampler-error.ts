/** A sampler that cannot propose anything: the space admits no feasible configuration. */
export class SamplerError extends Error {
  override readonly name = 'SamplerError';
  constructor(
    readonly code: 'no_feasible_configuration' | 'unknown_sampler',
    message: string,
  ) {
    super(message);
  }
}
