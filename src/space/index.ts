/** The search-space module's public surface. */
export type { Params, ParamValue } from './params.ts';
export type { Parameter, FloatParameter, IntParameter, Pow2Parameter, CategoricalParameter } from './parameter.ts';
export type { SearchSpace, Constraint } from './space.ts';
export {
  brokenConstraints,
  configurationKey,
  decode,
  defaults,
  dimension,
  encode,
  isFeasible,
  isValidConfiguration,
  roundPoint,
  sampleFeasible,
} from './space.ts';
export { parseSearchSpace, type SpaceContext } from './parse.ts';
export { loadSearchSpace, parseSearchSpaceBytes } from './load.ts';
export { pinParameters } from './pin.ts';
export { SpaceError, unwrapSpace, type SpaceErrorCode, type SpaceResult } from './space-error.ts';
