/**
 * How many seconds moving the deployment to the next configuration takes, learned from the past trials' deploys
 * (src/deploy/reconfiguration.ts names the moves). A move costs a base that depends on its mode plus a shared
 * amount per replica started from scratch:
 *
 *   seconds ≈ base[mode] + perReplica · added
 *
 * (a fresh deploy starts every replica, so its `added` is the replica count). `perReplica` is the one slope of a
 * least-squares line in `added` with an intercept per mode: each mode's samples are centred on their own means,
 * pooled, and fitted by simple-statistics' linearRegression. With fresh deploys alone, that is the line of fresh
 * seconds on replicas. It needs two distinct replica counts within one mode; until then fresh deploys are taken to
 * be proportional to their replicas (each mode's mean is then matched exactly, with the unseen parts from the
 * priors below). Each observed mode's base is its mean once the per-replica part of its samples is taken away.
 * Modes not observed yet get the prior share of a fresh one-replica deploy in UNSEEN_MODE_SHARE. Without any
 * sample, every move is predicted alike (0 s): only the measurement's seconds remain, the same for every proposal.
 */
import { linearRegression, mean } from 'simple-statistics';
import { DEPLOY_MODES, type DeployMode } from '../domain/records.ts';

/** One past trial: how it was deployed, the replicas it started from scratch, its deploy seconds. */
export interface CostSample {
  mode: DeployMode;
  added: number;
  seconds: number;
}

/** A move to be priced: how it would deploy, and the replicas it would start from scratch. */
export interface CostMove {
  mode: DeployMode;
  added: number;
}

type KeptMode = Exclude<DeployMode, 'fresh'>;

/**
 * A mode's base seconds before it has been seen, as a share of a fresh deploy of one replica. From the marian
 * figures: a fresh replica ≈ 8 s, CPU/memory/batching changed in place ≈ 1 s (1/8), new ONNX Runtime sessions a
 * few seconds (1/2).
 */
export const UNSEEN_MODE_SHARE: Readonly<Record<KeptMode, number>> = { reconfigured: 1 / 8, reloaded: 1 / 2 };

/** A mode's samples summarized: how many, and their mean replicas added and mean seconds. */
interface ModeSummary {
  mode: DeployMode;
  samples: readonly CostSample[];
  added: number;
  seconds: number;
}

export class SwitchingCostModel {
  private constructor(
    private readonly base: Readonly<Record<DeployMode, number>>,
    /** Seconds per replica started from scratch. */
    readonly perReplica: number,
  ) {}

  static fit(samples: readonly CostSample[]): SwitchingCostModel {
    const summaries = DEPLOY_MODES.flatMap((mode): ModeSummary[] => {
      const ofMode = samples.filter((s) => s.mode === mode);
      return ofMode.length === 0 ? [] : [{ mode, samples: ofMode, added: mean(ofMode.map((s) => s.added)), seconds: mean(ofMode.map((s) => s.seconds)) }];
    });
    if (summaries.length === 0) return new SwitchingCostModel({ fresh: 0, reconfigured: 0, reloaded: 0 }, 0);
    // Starting more replicas never saves time: a negative slope is noise.
    const perReplica = Math.max(0, sharedSlope(summaries) ?? proportionalSlope(summaries));
    const observed = new Map(summaries.map((s) => [s.mode, s.seconds - perReplica * s.added]));
    const freshBase = observed.get('fresh');
    const kept = (['reconfigured', 'reloaded'] as const).filter((mode) => observed.has(mode));
    // A fresh deploy of one replica: what the priors are shares of.
    const oneFresh = freshBase !== undefined ? freshBase + perReplica : mean(kept.map((mode) => (observed.get(mode) as number) / UNSEEN_MODE_SHARE[mode]));
    const baseOf = (mode: KeptMode) => observed.get(mode) ?? UNSEEN_MODE_SHARE[mode] * oneFresh;
    return new SwitchingCostModel({ fresh: freshBase ?? oneFresh - perReplica, reconfigured: baseOf('reconfigured'), reloaded: baseOf('reloaded') }, perReplica);
  }

  /** Predicted deploy seconds of a move (mode and replicas started from scratch). */
  predict(move: CostMove): number {
    return Math.max(0, this.base[move.mode] + this.perReplica * move.added);
  }
}

/**
 * The slope in `added` shared by every mode, each with its own intercept: the line through the samples centred on
 * their mode's means. Undefined while no mode has seen two replica counts.
 */
function sharedSlope(summaries: readonly ModeSummary[]): number | undefined {
  const centred = summaries.flatMap(({ samples, added, seconds }) => samples.map((s) => [s.added - added, s.seconds - seconds]));
  if (centred.every(([dx]) => dx === 0)) return undefined;
  return linearRegression(centred).m;
}

/**
 * With one replica count per mode, the slope from fresh deploys proportional to their replicas: each mode's mean
 * seconds = (its prior share, none for fresh, + its mean replicas added) × one fresh replica; the modes' estimates
 * of that are averaged.
 */
function proportionalSlope(summaries: readonly ModeSummary[]): number {
  const estimates = summaries.flatMap(({ mode, added, seconds }) => {
    const replicas = (mode === 'fresh' ? 0 : UNSEEN_MODE_SHARE[mode]) + added;
    return replicas > 0 ? [seconds / replicas] : [];
  });
  return estimates.length === 0 ? 0 : mean(estimates);
}
