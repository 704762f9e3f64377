/**
 * The probability that a configuration is acceptable, learned from the failed trials it is given: every failure
 * of the configuration itself — it did not run (OOM kill, crash, never ready), did not answer (no responses,
 * too many request errors) or missed the study's SLO. (Infrastructure failures never reach a sampler.) A GP
 * regression on 1 (complete) / 0 (failed) labels with its own length scales (failures often hinge on a knob,
 * such as memory, that barely moves the objective), read as a probability by clamping. It multiplies expected
 * improvement, so proposals steer away from regions that failed. Inputs are the sampler's model inputs
 * (configuration, then any context), so a load level can matter too (an SLO missed only under heavy load).
 */
import { GaussianProcess } from '../gp/gaussian-process.ts';
import { outcomeOf, type Observation } from './sampler.ts';

/** Never fully rule a region out: labels are few and the boundary is uncertain. */
const FLOOR = 0.02;
/** Each prediction costs O(n²): beyond this many trials the model learns from a subset. */
const MAX_TRIALS = 150;

export interface SuccessModel {
  probabilities(points: readonly (readonly number[])[]): number[];
  /** log of the probability and its gradient (zero where the probability is clamped). */
  logWithGradient(point: readonly number[]): { value: number; gradient: number[] };
}

/** `inputOf`: the model input of an observation (its encoded configuration, then any context). */
export function fitSuccessModel(history: readonly Observation[], inputOf: (observation: Observation) => number[]): SuccessModel {
  const finished = classifierSample(history.filter((o) => outcomeOf(o) !== 'pending'));
  const labels = finished.map((o) => (outcomeOf(o) === 'complete' ? 1 : 0));
  if (!labels.includes(0)) return constant(1);
  if (!labels.includes(1)) return constant(FLOOR);
  const gp = GaussianProcess.fit(finished.map(inputOf), labels, { outputTransform: 'standardize', starts: 1 });
  const probability = (mean: number) => Math.min(1, Math.max(FLOOR, gp.transform.inverse(mean)));
  const slope = gp.transform.inverse(1) - gp.transform.inverse(0); // the standardizer is affine
  return {
    probabilities: (points) => gp.predictMean(points).map(probability),
    logWithGradient(point) {
      const { mean, meanGradient } = gp.predictWithGradient(point);
      const raw = gp.transform.inverse(mean);
      const p = probability(mean);
      return { value: Math.log(p), gradient: raw === p ? meanGradient.map((g) => (slope * g) / p) : meanGradient.map(() => 0) };
    },
  };
}

function constant(probability: number): SuccessModel {
  return {
    probabilities: (points) => points.map(() => probability),
    logWithGradient: (point) => ({ value: Math.log(probability), gradient: point.map(() => 0) }),
  };
}


/** Every failure (up to half the limit) and an even spread of the rest: a deterministic subset. */
function classifierSample(finished: readonly Observation[]): Observation[] {
  if (finished.length <= MAX_TRIALS) return [...finished];
  const failures = finished.filter((o) => outcomeOf(o) === 'failed').slice(-MAX_TRIALS / 2);
  const others = finished.filter((o) => !failures.includes(o));
  const room = MAX_TRIALS - failures.length;
  return [...failures, ...Array.from({ length: room }, (_, k) => others[Math.floor((k * others.length) / room)] as Observation)];
}
