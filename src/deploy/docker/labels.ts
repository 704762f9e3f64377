/**
 * Labels mark every container we create, so teardown and reaping can find ours and never touch anyone else's.
 */
export const LABEL = {
  tool: 'tune.tool',
  study: 'tune.study',
  trial: 'tune.trial',
  replica: 'tune.replica',
} as const;

export const TOOL_VALUE = 'tune';

export function replicaLabels(studyId: string, trialNumber: number, replica: number): Record<string, string> {
  return {
    [LABEL.tool]: TOOL_VALUE,
    [LABEL.study]: studyId,
    [LABEL.trial]: String(trialNumber),
    [LABEL.replica]: String(replica),
  };
}

export interface ReapFilter {
  studyId?: string;
  trialNumber?: number;
}

/** Engine-side label filters (`docker ps --filter label=...`) for our containers matching the filter. */
export function labelFilters(filter: ReapFilter = {}): string[] {
  const filters = [`${LABEL.tool}=${TOOL_VALUE}`, LABEL.study];
  if (filter.studyId !== undefined) filters.push(`${LABEL.study}=${filter.studyId}`);
  if (filter.trialNumber !== undefined) filters.push(`${LABEL.trial}=${filter.trialNumber}`);
  return filters;
}

/** Checked again on our side before removing anything: a container is ours only with all our labels. */
export function isOurs(labels: Record<string, string> | undefined, filter: ReapFilter = {}): boolean {
  if (!labels || labels[LABEL.tool] !== TOOL_VALUE || labels[LABEL.study] === undefined) return false;
  if (filter.studyId !== undefined && labels[LABEL.study] !== filter.studyId) return false;
  if (filter.trialNumber !== undefined && labels[LABEL.trial] !== String(filter.trialNumber)) return false;
  return true;
}
