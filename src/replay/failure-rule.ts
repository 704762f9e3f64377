/**
 * Where a replayed configuration fails: where its nearest measured trial failed, with that trial's failure kind.
 * A measured point is its own nearest neighbour, so the replay fails exactly where the study failed, and a region
 * around each failure fails with it (a memory limit too small for the batch, say) until a measured success is
 * closer. Distance is taken in the unit cube the GP reads (encode): a numeric coordinate as it is, a categorical
 * counting 1 when the choice differs (its one-hot block then differs in two coordinates, each weighted ½), so
 * changing a choice weighs as much as crossing a numeric range end to end. On a tie (one configuration measured
 * twice) a complete trial wins: the configuration was seen to run.
 */
import type { Params } from '../space/params.ts';
import { coordinateRoles, encode, type SearchSpace } from '../space/space.ts';
import type { ReplayTrial } from './replay-file.ts';

export class FailureRule {
  private readonly weights: number[];
  private readonly points: { trial: ReplayTrial; point: number[] }[];

  constructor(
    private readonly space: SearchSpace,
    trials: readonly ReplayTrial[],
  ) {
    this.weights = coordinateRoles(space).map((role) => (role === 'categorical' ? 0.5 : 1));
    this.points = trials.map((trial) => ({ trial, point: encode(space, trial.params) }));
  }

  /** The failure kind of the nearest measured trial when that trial failed; undefined where it completed. */
  failureAt(params: Params): string | undefined {
    const nearest = this.nearest(encode(this.space, params));
    return nearest.state === 'failed' ? nearest.failureKind : undefined;
  }

  private nearest(point: readonly number[]): ReplayTrial {
    let best: { trial: ReplayTrial; distance: number } | undefined;
    for (const measured of this.points) {
      const distance = this.distance(point, measured.point);
      const closer = best === undefined || distance < best.distance || (distance === best.distance && measured.trial.state === 'complete' && best.trial.state === 'failed');
      if (closer) best = { trial: measured.trial, distance };
    }
    if (best === undefined) throw new RangeError('the failure rule needs at least one measured trial');
    return best.trial;
  }

  private distance(a: readonly number[], b: readonly number[]): number {
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += (this.weights[i] as number) * ((a[i] as number) - (b[i] as number)) ** 2;
    return sum;
  }
}
