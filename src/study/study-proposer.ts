/**
 * The optimizer behind the loop: the ask/tell Study, rebuilt from the stored trials before each proposal.
 * Rebuilding (rather than keeping a Study alive) makes resume exact: the Study sees what storage holds.
 */
import { bestEstimate } from '../samplers/best-estimate.ts';
import { createSampler } from '../samplers/factory.ts';
import type { SearchSpace } from '../space/space.ts';
import type { StudyRecord, TrialRecord } from '../storage/storage.ts';
import { Study } from './study.ts';
import { toStudyTrials } from './trial-history.ts';
import type { Propose } from './tuning-loop.ts';

type StudySettings = Pick<StudyRecord, 'strategy' | 'seed' | 'budget'>;

export function studyProposer(space: SearchSpace, settings: StudySettings): Propose {
  const sampler = createSampler(settings.strategy, { budget: settings.budget, seed: settings.seed });
  return async (trials) => {
    // The loop runs the baseline itself (again, if it was interrupted), so the Study never proposes it.
    const study = new Study({ space, sampler, seed: settings.seed, history: toStudyTrials(trials), baselineFirst: false });
    return study.ask().params;
  };
}

/** The complete trial the optimizer's model believes best once measurement noise is averaged out. */
export interface PosteriorBest {
  number: number;
  estimate: number;
}

export function posteriorBestTrial(space: SearchSpace, trials: readonly TrialRecord[]): PosteriorBest | undefined {
  const history = toStudyTrials(trials);
  const best = bestEstimate(space, history);
  const trial = best && history[best.index];
  return trial && best ? { number: trial.number, estimate: best.estimatedValue } : undefined;
}
