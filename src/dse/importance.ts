/**
 * Parameter importance from a fitted GP's ARD length scales (pure): a short length scale means the objective
 * changes quickly along that coordinate. Importance ∝ 1/ℓ, normalised to sum to 1. A categorical parameter
 * spans one coordinate per choice; it takes its most sensitive one (the smallest ℓ), since switching choice
 * moves along that coordinate.
 */
import { kindOf } from '../space/kinds/index.ts';
import type { SearchSpace } from '../space/space.ts';

export interface Importance {
  parameter: string;
  importance: number; // 0..1, the parameters' importances sum to 1
  lengthScale: number;
}

export function importanceFromLengthScales(space: SearchSpace, lengthScales: readonly number[]): Importance[] {
  let offset = 0;
  const perParameter = space.parameters.map((p) => {
    const width = kindOf(p).width(p);
    const scales = lengthScales.slice(offset, offset + width);
    offset += width;
    if (scales.length !== width) throw new RangeError(`${lengthScales.length} length scales for a space of more coordinates`);
    return { parameter: p.name, lengthScale: Math.min(...scales) };
  });
  if (offset !== lengthScales.length) throw new RangeError(`${lengthScales.length} length scales for a space of ${offset} coordinates`);
  const total = perParameter.reduce((sum, p) => sum + 1 / p.lengthScale, 0);
  return perParameter
    .map((p) => ({ ...p, importance: 1 / p.lengthScale / total }))
    .sort((a, b) => b.importance - a.importance);
}
