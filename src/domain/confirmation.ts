/**
 * Confirming a study's winner (pure). A single measurement window can be lucky, and the lowest of many lucky
 * windows is luckier still, so after the search the best few configurations (the contenders) are deployed again
 * and measured in interleaved rounds: A B C, A B C, ... Each round measures every contender once, close together
 * in time, so whatever the machine was doing during that round weighs on all of them alike.
 *
 * The rounds are read as a randomized complete block design: value = contender effect + round effect + noise.
 * The leader (lowest mean over the rounds) is separated from another contender when their difference exceeds
 * its two-sided t bound at the stated confidence, Bonferroni-corrected over the others, with the residual variance
 * of the additive model ((K−1)(R−1) degrees of freedom; for two contenders this is the paired t test). The
 * probability that each contender is best is read off the posterior of that model under flat priors: σ² drawn
 * as df·s²/χ²(df), then each contender's mean as N(mean, σ²/R).
 */
import { tQuantile } from '../load/t-quantile.ts';
import { createRng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import type { TrialRecord } from './records.ts';
import { judgedItsConfiguration, trialValue } from './trials.ts';

/** How confirmation runs: at least `minRounds` rounds, at most `maxRounds`, separated at `confidence`. */
export const CONFIRMATION = {
  minRounds: 2,
  maxRounds: 5,
  confidence: 0.95,
  /** Posterior draws behind each probability of being best: its Monte Carlo error is below 0.005. */
  draws: 20_000,
  /** Contenders when the study does not say: 3 once the budget is large enough to have that many good ones. */
  defaultContenders: 3,
  defaultFromBudget: 20,
} as const;

/**
 * Whether the winner was confirmed: separated from every other contender (`confirmed`), still within the noise
 * after the last round (`undecided`), left alone because every other contender failed when deployed again
 * (`unopposed`), or not measured in any complete round yet (`unmeasured`).
 */
export type ConfirmationStatus = 'confirmed' | 'undecided' | 'unopposed' | 'unmeasured';

export interface ContenderStanding {
  /** The search trial whose configuration this is. */
  number: number;
  params: Params;
  /** What the search measured for it, once: the figure confirmation checks. */
  searchValue?: number;
  /** Its values in the complete rounds, in round order. */
  values: number[];
  /** Mean over those rounds, and the half-width of its 95% interval from their spread (undefined below 2 rounds). */
  mean?: number;
  ci95?: number;
  probabilityBest?: number;
  /** Failed when deployed again (not because of the machine): out of contention from that round on. */
  failed?: { round: number; kind: string; message?: string };
}

export interface ConfirmationVerdict {
  status: ConfirmationStatus;
  /** Rounds in which every contender still standing was measured. */
  rounds: number;
  confidence: number;
  /** The contender the search alone would have named: the first chosen (lowest posterior estimate). */
  searchPick: number;
  winner?: number;
  runnerUp?: number;
  /** Runner-up's mean minus the winner's, with the half-width of its 95% interval, and as a fraction of the winner's. */
  margin?: { value: number; ci95: number; relative: number };
  /** Still standing by mean (best first), then those that failed. */
  standings: ContenderStanding[];
}

/** A confirmation trial that settled its slot (one contender in one round): one the machine failed is run again. */
function settles(trial: TrialRecord): boolean {
  return trial.kind === 'confirmation' && judgedItsConfiguration(trial);
}

/** The search trials being confirmed, in the order they were chosen (the order of their first confirmation trial). */
export function contendersOf(trials: readonly TrialRecord[]): number[] {
  const order: number[] = [];
  for (const trial of [...trials].sort((a, b) => a.number - b.number)) {
    if (trial.kind === 'confirmation' && trial.confirms !== undefined && !order.includes(trial.confirms)) order.push(trial.confirms);
  }
  return order;
}

/**
 * The verdict on `contenders` (search trial numbers, in the order chosen) from the study's confirmation trials;
 * undefined when the study has none. Pure and deterministic (the posterior draws are seeded).
 */
export function confirmationVerdict(trials: readonly TrialRecord[], contenders: readonly number[] = contendersOf(trials), confidence: number = CONFIRMATION.confidence): ConfirmationVerdict | undefined {
  if (contenders.length === 0) return undefined;
  const settled = trials.filter(settles);
  const searched = (number: number) => {
    const trial = trials.find((t) => t.number === number);
    const value = trial && trialValue(trial);
    return { params: trial?.params ?? {}, ...(value !== undefined && { searchValue: value }) };
  };
  const failures = new Map<number, ContenderStanding['failed']>();
  for (const trial of settled) {
    if (trial.state !== 'failed' || trial.confirms === undefined) continue;
    const earlier = failures.get(trial.confirms);
    if (earlier === undefined || (trial.round ?? 0) < earlier.round) {
      failures.set(trial.confirms, { round: trial.round ?? 0, kind: trial.failureKind ?? 'failed', ...(trial.failureMessage !== undefined && { message: trial.failureMessage }) });
    }
  }
  const standing = contenders.filter((number) => !failures.has(number));
  const value = (number: number, round: number) => {
    const trial = settled.find((t) => t.confirms === number && t.round === round && t.state === 'complete');
    return trial && trialValue(trial);
  };
  const rounds: number[] = [];
  for (let round = 1; standing.length > 0; round += 1) {
    if (!standing.every((number) => value(number, round) !== undefined)) break;
    rounds.push(round);
  }
  const matrix = standing.map((number) => rounds.map((round) => value(number, round) as number));
  const analysis = blockAnalysis(matrix, confidence);
  const standings: ContenderStanding[] = standing.map((number, k) => ({
    number,
    ...searched(number),
    values: matrix[k] as number[],
    ...ownInterval(matrix[k] as number[]),
    ...(analysis && { probabilityBest: analysis.probabilityBest[k] }),
  }));
  standings.sort((a, b) => (a.mean ?? Infinity) - (b.mean ?? Infinity));
  const failed = contenders.flatMap((number) => {
    const failure = failures.get(number);
    return failure === undefined ? [] : [{ number, ...searched(number), values: [], failed: failure }];
  });
  const base = { rounds: rounds.length, confidence, searchPick: contenders[0] as number, standings: [...standings, ...failed] };
  if (standing.length === 1) return { ...base, status: 'unopposed', winner: standing[0] };
  if (standing.length === 0 || rounds.length === 0) return { ...base, status: 'unmeasured' };
  const [winner, runnerUp] = standings as [ContenderStanding, ContenderStanding];
  const margin = analysis && {
    value: (runnerUp.mean as number) - (winner.mean as number),
    ci95: analysis.differenceCi95,
    relative: ((runnerUp.mean as number) - (winner.mean as number)) / (winner.mean as number),
  };
  return { ...base, status: analysis?.separated === true ? 'confirmed' : 'undecided', winner: winner.number, runnerUp: runnerUp.number, ...(margin && { margin }) };
}

/** A contender's mean over its rounds and its 95% interval from their spread alone. */
function ownInterval(values: readonly number[]): Pick<ContenderStanding, 'mean' | 'ci95'> {
  if (values.length === 0) return {};
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  if (values.length < 2) return { mean };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, ci95: tQuantile(0.975, values.length - 1) * Math.sqrt(variance / values.length) };
}

interface BlockAnalysis {
  /** The leader is separated from every other contender at the confidence asked. */
  separated: boolean;
  /** Half-width of the 95% interval of a difference between two contenders' means. */
  differenceCi95: number;
  probabilityBest: number[];
}

/**
 * The additive two-way analysis of `matrix` (contenders × rounds, every cell measured); undefined below two
 * contenders or two rounds, where there is no residual to judge the noise by.
 */
export function blockAnalysis(matrix: readonly (readonly number[])[], confidence: number): BlockAnalysis | undefined {
  const contenders = matrix.length;
  const rounds = matrix[0]?.length ?? 0;
  if (contenders < 2 || rounds < 2) return undefined;
  const means = matrix.map((row) => row.reduce((sum, v) => sum + v, 0) / rounds);
  const roundMeans = Array.from({ length: rounds }, (_, r) => matrix.reduce((sum, row) => sum + (row[r] as number), 0) / contenders);
  const grand = means.reduce((sum, m) => sum + m, 0) / contenders;
  let residual = 0;
  matrix.forEach((row, k) => row.forEach((v, r) => (residual += (v - (means[k] as number) - (roundMeans[r] as number) + grand) ** 2)));
  const df = (contenders - 1) * (rounds - 1);
  // A residual of exactly 0 (identical differences in every round) would make any gap infinitely significant.
  const s = Math.max(Math.sqrt(residual / df), 1e-9 * Math.max(...means.map(Math.abs), 1));
  const differenceSe = s * Math.sqrt(2 / rounds);
  const leader = means.indexOf(Math.min(...means));
  // Two-sided: which contender leads is read off the same data. So a confirmed winner's margin interval excludes 0.
  const bound = tQuantile(1 - (1 - confidence) / (2 * (contenders - 1)), df) * differenceSe;
  const separated = means.every((m, k) => k === leader || m - (means[leader] as number) > bound);
  return { separated, differenceCi95: tQuantile(0.975, df) * differenceSe, probabilityBest: probabilityBest(means, s, df, rounds) };
}

/** P(each contender's true mean is the lowest) under the additive model's flat-prior posterior, by seeded draws. */
function probabilityBest(means: readonly number[], s: number, df: number, rounds: number): number[] {
  const rng = createRng('confirmation-posterior');
  const wins = means.map(() => 0);
  for (let draw = 0; draw < CONFIRMATION.draws; draw += 1) {
    let chiSquare = 0;
    for (let i = 0; i < df; i += 1) chiSquare += rng.normal() ** 2;
    const sd = Math.sqrt((df * s * s) / chiSquare / rounds);
    let best = 0;
    let bestValue = Infinity;
    means.forEach((mean, k) => {
      const sampled = mean + sd * rng.normal();
      if (sampled < bestValue) [best, bestValue] = [k, sampled];
    });
    wins[best] = (wins[best] as number) + 1;
  }
  return wins.map((count) => count / CONFIRMATION.draws);
}

/**
 * The next confirmation measurement of `contenders`: the first contender still standing not yet settled in the
 * earliest unfinished round; undefined once the verdict is reached — separated after at least minRounds rounds,
 * maxRounds rounds done, or fewer than two contenders standing.
 */
export function nextConfirmation(trials: readonly TrialRecord[], contenders: readonly number[], settings: { minRounds: number; maxRounds: number; confidence: number } = CONFIRMATION): { confirms: number; round: number } | undefined {
  const verdict = confirmationVerdict(trials, contenders, settings.confidence);
  if (verdict === undefined) return undefined;
  const failed = new Set(verdict.standings.flatMap((s) => (s.failed ? [s.number] : [])));
  const standing = contenders.filter((number) => !failed.has(number));
  const settled = trials.filter(settles);
  const done = (number: number, round: number) => settled.some((t) => t.confirms === number && t.round === round);
  for (let round = 1; round <= settings.maxRounds && standing.length >= 2; round += 1) {
    const missing = standing.find((number) => !done(number, round));
    if (missing !== undefined) return { confirms: missing, round };
    if (round >= settings.minRounds && verdict.status === 'confirmed') return undefined;
  }
  return undefined;
}
