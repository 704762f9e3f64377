/** The dry-run plan as text lines for the terminal. */
import { CONFIRMATION } from '../domain/confirmation.ts';
import { describeInputShapes, describeWorkload } from '../domain/records.ts';
import { OBJECTIVE_NAME } from '../domain/vocabulary.ts';
import { SYNTHETIC_NOTE } from '../models/builder.ts';
import { formatDuration, formatParams } from '../report/format.ts';
import type { StudyPlan } from '../app/plan.ts';

export function formatPlan(plan: StudyPlan): string {
  const slo = plan.sloP99Ms === undefined ? '' : `, SLO p99 ≤ ${plan.sloP99Ms} ms`;
  const objectives = plan.objectives
    ? `Pareto front of ${plan.objectives.map((o) => OBJECTIVE_NAME[o]).join(', ')}${plan.strategy === 'bo' ? ' (ParEGO)' : ''}`
    : `objective ${OBJECTIVE_NAME[plan.objective]}`;
  const pinned = Object.keys(plan.space.pinned).length > 0 ? `; pinned: ${formatParams(plan.space.pinned)}` : '';
  return [
    `study ${plan.study} in ${plan.db} (${plan.resume ? 'resume' : 'new'})`,
    `model: ${plan.model}, precision ${plan.precisions.join(' or ')}, served over ${plan.api === 'v2' ? 'V2 (Open Inference Protocol, /infer)' : 'V1 (:predict)'}`,
    ...(plan.inputShapes ? [`input shapes: ${describeInputShapes(plan.inputShapes)}`] : []),
    `load: closed loop at concurrency ${plan.concurrency}, warm-up ${plan.warmupS} s, window ${plan.durationS} s per trial, ${describeWorkload(plan.workload)}`,
    `optimizer: ${plan.strategy}, seed ${plan.seed}, budget ${plan.budget} trials (the first is the baseline), ${objectives}${slo}`,
    `space: ${plan.space.origin}, ${plan.space.parameters.length} parameters${pinned}`,
    ...plan.space.parameters.map((line) => `  ${line}`),
    ...plan.space.constraints.map((line) => `  constraint: ${line}`),
    ...(plan.gridSize === undefined ? [] : [`grid: ${plan.gridSize} configurations`]),
    `baseline: ${formatParams(plan.baseline)}`,
    `deployed on: ${plan.backend === 'swarm' ? 'the swarm this engine manages' : 'this Docker engine'}, ${plan.parallel === 1 ? 'one trial at a time' : `${plan.parallel} trials at a time`}`,
    `cheaper trials: early stopping ${plan.earlyStop ? 'on' : 'off'}, reconfiguration ${plan.reconfigure ? 'on' : 'off'}, cost-aware proposals ${plan.costAware ? 'on' : 'off'}`,
    plan.confirm > 0
      ? `confirmation: the best ${plan.confirm} configurations measured again in ${CONFIRMATION.minRounds}–${CONFIRMATION.maxRounds} interleaved rounds, until the winner is separated at ${CONFIRMATION.confidence * 100}% confidence`
      : 'confirmation: none',
    `estimated time: at most about ${formatDuration(plan.estimatedSeconds)}`,
    plan.model.includes('synthetic') ? `note: ${SYNTHETIC_NOTE}` : '',
    'dry run: nothing was deployed or measured',
  ]
    .filter((line) => line !== '')
    .join('\n');
}
