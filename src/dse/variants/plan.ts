/**
 * Model variants: every precision × graph-optimization level asked for, each studied with those two
 * parameters pinned so the optimizer tunes the rest for that variant alone. Names extend the plain study
 * name, so a re-run reuses what is stored.
 */
import type { Params } from '../../space/params.ts';
import type { Objective } from '../../domain/vocabulary.ts';
import { studyName } from '../../study/study-name.ts';

export interface VariantRequest {
  model: string;
  concurrency: number;
  budget: number;
  strategy: string;
  seed: number;
  objective: Objective;
  precisions: readonly string[];
  /** Empty: the level stays a tuned parameter. */
  graphLevels: readonly string[];
}

export interface Variant {
  label: string; // e.g. "int8" or "int8/extended"
  pins: Params;
  studyId: string;
}

export function variantPlan(request: VariantRequest): Variant[] {
  const base = studyName({ ...request });
  const levels: (string | undefined)[] = request.graphLevels.length > 0 ? [...new Set(request.graphLevels)] : [undefined];
  return [...new Set(request.precisions)].flatMap((precision) =>
    levels.map((level) => {
      const pins: Params = level === undefined ? { precision } : { precision, graph_optimization_level: level };
      const suffix = level === undefined ? precision : `${precision}-${level}`;
      return { label: level === undefined ? precision : `${precision}/${level}`, pins, studyId: `${base}-${suffix}` };
    }),
  );
}
