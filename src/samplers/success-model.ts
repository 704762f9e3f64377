/**
 * The probability that a configuration is acceptable, learned from the failed trials it is given: every failure
 * of the configuration itself — it did not run (OOM kill, crash, never ready), did not answer (no responses,
 * too many request errors) or missed the study's SLO. (Infrastructure failures never reach a sampler.) A GP
 * regression on 1 (complete) / 0 (failed) labels with its own length scales (failures often hinge on a knob,
 * such as memory, that barely moves the objective), read as a probability by clamping. It multiplies expected
 * improvement, so proposals steer away from regions that failed.
 */
import { GaussianProcess } from '../gp/gaussian-process.ts';
import { encode, type SearchSpace } from '../space/space.ts';
import { outcomeOf, type Observation } from './sampler.ts';

/** Never fully rule a region out: labels are few and the boundary is uncertain. */
const FLOOR = 0.02;
/** Each prediction costs O(n²): beyond this many trials the model learns from a subset. */
const MAX_TRIALS = 150;

export type SuccessModel = (points: readonly (readonly number[])[]) => number[];

export function fitSuccessModel(space: SearchSpace, history: readonly Observation[]): SuccessModel {
  const finished = classifierSample(history.filter((o) => outcomeOf(o) !== 'pending'));
  const labels = finished.map((o) => (outcomeOf(o) === 'complete' ? 1 : 0));
  if (!labels.includes(0)) return (points) => points.map(() => 1);
  if (!labels.includes(1)) return (points) => points.map(() => FLOOR);
  const gp = GaussianProcess.fit(finished.map((o) => encode(space, o.params)), labels, { outputTransform: 'standardize', starts: 1 });
  return (points) => gp.predict(points).mean.map((mean) => Math.min(1, Math.max(FLOOR, gp.transform.inverse(mean))));
}


/** Every failure (up to half the limit) and an even spread of the rest: a deterministic subset. */
function classifierSample(finished: readonly Observation[]): Observation[] {
  if (finished.length <= MAX_TRIALS) return [...finished];
  const failures = finished.filter((o) => outcomeOf(o) === 'failed').slice(-MAX_TRIALS / 2);
  const others = finished.filter((o) => !failures.includes(o));
  const room = MAX_TRIALS - failures.length;
  return [...failures, ...Array.from({ length: room }, (_, k) => others[Math.floor((k * others.length) / room)] as Observation)];
}
