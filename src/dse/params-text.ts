/** A configuration on one line, `name=value` pairs in the configuration's own order. */
import type { Params } from '../space/params.ts';

export function paramsText(params: Params | undefined): string {
  return params === undefined ? '–' : Object.entries(params).map(([name, value]) => `${name}=${value}`).join(' ');
}
