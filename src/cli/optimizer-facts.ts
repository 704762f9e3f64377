/** Facts the CLI prints that come from the optimizer: the grid's size and the posterior pick of a study. */
import { gridSize } from '../samplers/grid.ts';
import type { SearchSpace } from '../space/space.ts';
import type { StudyRecord, TrialRecord } from '../storage/storage.ts';
import { posteriorBestTrial, type PosteriorBest } from '../study/study-proposer.ts';
import { isStoredSpace, spaceFromStored } from '../study/study-space.ts';
import { spaceContext } from './host-facts.ts';

export function gridSizeOf(space: SearchSpace): number {
  return gridSize(space);
}

/** Undefined when the stored space cannot be read back or too few trials completed to say more than the minimum. */
export function posteriorBest(study: StudyRecord, trials: readonly TrialRecord[]): PosteriorBest | undefined {
  if (!isStoredSpace(study.space)) return undefined;
  const space = spaceFromStored(study.space, spaceContext());
  if (!space.ok) return undefined;
  try {
    return posteriorBestTrial(space.value, trials);
  } catch (error) {
    // Trials stored by an older space may lack a parameter: then there is simply no estimate to show.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
