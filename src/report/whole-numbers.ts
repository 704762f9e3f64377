/**
 * Which plotted parameters take whole numbers only (replicas, batch sizes, threads), so their axes tick at
 * integers (chart.ts wholeNumberAxis) rather than at 1.5: the one rule, read from each study's stored search
 * space, where the `int` and `pow2` kinds are whole and `float` and `categorical` are not. A study whose space
 * cannot be read back (rows from before spaces were stored) falls back to its values: whole when every value is.
 */
import type { StudyRecord, StudyTrials } from '../domain/records.ts';
import { spaceContextOf } from '../host/host.ts';
import type { ParameterKindName } from '../space/parameter.ts';
import { parseSearchSpace } from '../space/parse.ts';
import { isStoredSpace } from '../study/study-space.ts';

const WHOLE_KINDS: ReadonlySet<ParameterKindName> = new Set(['int', 'pow2']);

/** The study's parameters by kind, pinned ones included (a pin holds a value, not a kind); undefined without a readable space. */
function parameterKinds(study: StudyRecord): Map<string, ParameterKindName> | undefined {
  if (!isStoredSpace(study.space)) return undefined;
  const parsed = parseSearchSpace(study.space.document, study.space.origin, spaceContextOf(study.host));
  return parsed.ok ? new Map(parsed.value.parameters.map((p) => [p.name, p.kind])) : undefined;
}

/** The names of the parameters whose values are whole numbers in every study that has them. */
export function wholeNumberParameters(studies: readonly StudyTrials[]): Set<string> {
  const verdicts = new Map<string, boolean>();
  const judge = (name: string, whole: boolean) => verdicts.set(name, (verdicts.get(name) ?? true) && whole);
  for (const { study, trials } of studies) {
    const kinds = parameterKinds(study);
    const names = new Set(trials.flatMap((trial) => Object.keys(trial.params)));
    for (const name of names) {
      const kind = kinds?.get(name);
      judge(name, kind !== undefined ? WHOLE_KINDS.has(kind) : trials.every((t) => t.params[name] === undefined || Number.isInteger(t.params[name])));
    }
  }
  return new Set([...verdicts].filter(([, whole]) => whole).map(([name]) => name));
}
