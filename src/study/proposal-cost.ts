/**
 * What each candidate would cost a study from the deployment its lane holds now (cost-aware proposals): the
 * switching-cost model fitted on the study's own deploys (samplers/switching-cost.ts), priced by the move
 * reconfiguration.ts names, plus the warm-up and the window a trial pays on top, as the study has measured them.
 */
import type { DeploymentSpec } from '../deploy/backend.ts';
import { moveBetween } from '../deploy/reconfiguration.ts';
import type { StudyRecord, TrialRecord } from '../domain/records.ts';
import { byNumber } from '../domain/trials.ts';
import type { ProposalCost } from '../samplers/sampler.ts';
import { SwitchingCostModel, type CostSample } from '../samplers/switching-cost.ts';
import type { Params } from '../space/params.ts';
import type { HeldDeployment } from './tuning-loop.ts';

export function proposalCost(
  study: Pick<StudyRecord, 'warmupS' | 'durationS'>,
  trials: readonly TrialRecord[],
  toSpec: (params: Params, trialNumber: number) => DeploymentSpec,
  held: HeldDeployment | undefined,
): ProposalCost {
  const model = SwitchingCostModel.fit(costSamples(trials));
  const windows = trials.flatMap((t) => (t.metrics && Number.isFinite(t.metrics.windowS) ? [t.metrics.windowS] : []));
  // Stopped-early windows are shorter: the mean window is what a trial is likely to take.
  const measureS = study.warmupS + (windows.length > 0 ? windows.reduce((sum, s) => sum + s, 0) / windows.length : study.durationS);
  const running = held?.deployment.spec;
  return {
    seconds: (params) => {
      let next: DeploymentSpec;
      try {
        next = { ...toSpec(params, 0), ...(running?.lane !== undefined && { lane: running.lane }) };
      } catch {
        return measureS; // a configuration the backend cannot express fails at once
      }
      return model.predict(moveBetween(running, next)) + measureS;
    },
    ...(held && { deployed: held.params }),
  };
}

/**
 * Each deployed trial as a cost sample. A kept deployment's replicas added are read against the trial before it,
 * which is the deployment it was changed from when trials run one at a time (an approximation with several lanes).
 */
export function costSamples(trials: readonly TrialRecord[]): CostSample[] {
  const ordered = byNumber(trials);
  return ordered.flatMap((trial, i) => {
    if (trial.deploySeconds === undefined) return [];
    const mode = trial.deployMode ?? 'fresh';
    const replicas = replicasOf(trial.params);
    const before = ordered[i - 1];
    const added = mode === 'fresh' ? replicas : Math.max(0, replicas - (before ? replicasOf(before.params) : replicas));
    return [{ mode, added, seconds: trial.deploySeconds }];
  });
}

function replicasOf(params: Params): number {
  return typeof params.replicas === 'number' ? params.replicas : 1;
}
